package io.infrasteps.engine.consul;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, bounded by a total deadline: retries 5xx, 429 and
 * connection errors until the deadline would be passed, never longer.
 */
public final class RetryPolicy {
    private final Duration deadline;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public RetryPolicy(Duration deadline, Duration initialBackoff, Duration maxBackoff) {
        this.deadline = deadline;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    /** No retries: the first failure is final (tests that count requests). */
    public static RetryPolicy none() {
        return new RetryPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public Duration deadline() {
        return deadline;
    }

    /** The pause before attempt {@code attempt + 1} (attempt counts from 1). */
    long backoffMillis(int attempt) {
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }
}
