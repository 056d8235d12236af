package io.infrasteps.sandbox.consul;

import java.time.Duration;
import java.util.Random;

/**
 * Faults injected by {@link SandboxConsul} into every endpoint, reads and writes alike. Thread
 * safe; random decisions come from one {@link Random} seeded with {@link #seed(long)} (0 by
 * default), so a sequential test sees the same faults on every run.
 *
 * <p>Per request, in this order: {@linkplain #latency(Duration) latency}, then
 * {@linkplain #dropConnections(double) a dropped connection}, then
 * {@linkplain #lostLeader(boolean) "No cluster leader"}, then {@linkplain #failNext(int, int)
 * the next N failures}, then {@linkplain #failRate(double, int) random failures}. A request
 * failed or dropped by any of them is not applied. {@link #failAfterApply(int)} is the exception:
 * the write is applied, then the connection is dropped, so the client cannot know the outcome.
 */
public final class ConsulFaults {
    private Random random = new Random(0);
    private int failNext;
    private int failNextStatus;
    private double failRate;
    private int failRateStatus;
    private Duration latency = Duration.ZERO;
    private double dropRate;
    private boolean lostLeader;
    private int failAfterApply;
    private long injected;

    ConsulFaults() {
    }

    /** Restarts the random sequence used by {@link #failRate} and {@link #dropConnections}. */
    public synchronized ConsulFaults seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    /** The next {@code n} requests answer HTTP {@code status} (4xx or 5xx) without being applied. */
    public synchronized ConsulFaults failNext(int n, int status) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        this.failNext = n;
        this.failNextStatus = requireErrorStatus(status);
        return this;
    }

    /** Each request fails with HTTP {@code status} with probability {@code rate} (0..1). 429 carries {@code Retry-After: 0}. */
    public synchronized ConsulFaults failRate(double rate, int status) {
        this.failRate = requireRate(rate);
        this.failRateStatus = requireErrorStatus(status);
        return this;
    }

    /** Every request waits {@code latency} before it is handled (0 to disable). */
    public synchronized ConsulFaults latency(Duration latency) {
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
        this.latency = latency;
        return this;
    }

    /** Each request's connection is closed without a response with probability {@code rate} (0..1). */
    public synchronized ConsulFaults dropConnections(double rate) {
        this.dropRate = requireRate(rate);
        return this;
    }

    /** While true, every request answers HTTP 500 {@code No cluster leader}. */
    public synchronized ConsulFaults lostLeader(boolean lost) {
        this.lostLeader = lost;
        return this;
    }

    /** The next {@code n} writes (PUT/DELETE) are applied, then their connection is dropped without a response. */
    public synchronized ConsulFaults failAfterApply(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        this.failAfterApply = n;
        return this;
    }

    /** Removes every fault (the random sequence continues). */
    public synchronized ConsulFaults clear() {
        failNext = 0;
        failRate = 0;
        latency = Duration.ZERO;
        dropRate = 0;
        lostLeader = false;
        failAfterApply = 0;
        return this;
    }

    /** How many requests a fault has affected so far (latency not counted). */
    public synchronized long injected() {
        return injected;
    }

    /** What to do with one incoming request. */
    record Decision(Duration latency, boolean drop, boolean lostLeader, int failStatus) {
    }

    synchronized Decision decide() {
        boolean drop = dropRate > 0 && random.nextDouble() < dropRate;
        if (drop) {
            injected++;
            return new Decision(latency, true, false, 0);
        }
        if (lostLeader) {
            injected++;
            return new Decision(latency, false, true, 0);
        }
        if (failNext > 0) {
            failNext--;
            injected++;
            return new Decision(latency, false, false, failNextStatus);
        }
        if (failRate > 0 && random.nextDouble() < failRate) {
            injected++;
            return new Decision(latency, false, false, failRateStatus);
        }
        return new Decision(latency, false, false, 0);
    }

    synchronized boolean takeFailAfterApply() {
        if (failAfterApply > 0) {
            failAfterApply--;
            injected++;
            return true;
        }
        return false;
    }

    private static double requireRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be between 0 and 1, got " + rate);
        }
        return rate;
    }

    private static int requireErrorStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status (400..599), got " + status);
        }
        return status;
    }
}
