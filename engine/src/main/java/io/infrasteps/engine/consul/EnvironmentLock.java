package io.infrasteps.engine.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.Inputs;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A per-environment lock held through a Consul session: {@code locks/<env>/<name>} is acquired
 * with the session, the session is renewed at half its TTL while held, and released (and the
 * session destroyed) on close, whatever happened in between. If the holder dies, the TTL runs
 * out and Consul releases the lock. A busy lock reports who holds it and since when.
 */
public final class EnvironmentLock implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsulClient consul;
    private final String datacenter;
    private final String key;
    private final String session;
    private final ScheduledExecutorService renewer;
    private volatile boolean lost;

    private EnvironmentLock(ConsulClient consul, String datacenter, String key, String session, Duration ttl) {
        this.consul = consul;
        this.datacenter = datacenter;
        this.key = key;
        this.session = session;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "infra-steps-lock-renewer " + key);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, ttl.toMillis() / 2);
        renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** The key of an environment's lock, e.g. {@code locks/stage-x/haproxy-state}. */
    public static String key(String environment, String name) {
        return "locks/" + Inputs.require("environment", environment, Inputs.DNS_LABEL) + "/" + Inputs.require("lock", name, Inputs.DNS_LABEL);
    }

    /**
     * Takes the lock, waiting up to {@code waitFor} (zero: fail at once when busy) with blocking
     * queries on the key rather than polling.
     *
     * @param holder who takes it, shown to whoever finds it busy (a build URL, or "cli user@host")
     */
    public static EnvironmentLock acquire(ConsulClient consul, String datacenter, String environment, String name, String holder,
                                          Duration ttl, Duration waitFor, Cancellation cancellation) {
        String key = key(environment, name);
        String value = JSON.createObjectNode().put("holder", holder).put("since", Instant.now().toString()).toString();
        long deadline = System.nanoTime() + waitFor.toNanos();
        // Not cancellable: a session created while the answer is abandoned would leak until its TTL.
        String session = consul.createSession(datacenter, "infra-steps " + key, ttl, Cancellation.create());
        boolean acquired = false;
        try {
            while (true) {
                cancellation.throwIfCancelled();
                if (consul.acquire(datacenter, key, value, session, cancellation)) {
                    acquired = true;
                    return new EnvironmentLock(consul, datacenter, key, session, ttl);
                }
                long remaining = deadline - System.nanoTime();
                Indexed<KvEntry> current = consul.get(datacenter, key, 0, null, cancellation);
                if (remaining <= 0) {
                    throw new LockBusyException(key, describeHolder(current.value()));
                }
                // Wait for the holder's entry to change (released, or its session expired).
                consul.get(datacenter, key, Math.max(1, current.index()),
                        Duration.ofNanos(Math.min(remaining, Duration.ofSeconds(30).toNanos())), cancellation);
            }
        } finally {
            if (!acquired) {
                boolean interrupted = Thread.interrupted();
                quietly(() -> consul.destroySession(datacenter, session, Cancellation.create()));
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Takes back a lock this process held before a restart (a Jenkins controller restart during
     * a block that holds it): succeeds only if the session is still alive and still holds the key.
     */
    public static EnvironmentLock resume(ConsulClient consul, String datacenter, String key, String session, Duration ttl,
                                         Cancellation cancellation) {
        ConsulPaths.key("key", key);
        Inputs.require("session", session, ConsulPaths.SESSION_ID);
        if (!consul.renewSession(datacenter, session, cancellation)) {
            throw new IllegalStateException("lock " + key + " was lost while Jenkins restarted: its session expired");
        }
        KvEntry entry = consul.get(datacenter, key, 0, null, cancellation).value();
        if (entry == null || !session.equals(entry.session())) {
            throw new IllegalStateException("lock " + key + " was lost while Jenkins restarted: now held by "
                    + describeHolder(entry));
        }
        return new EnvironmentLock(consul, datacenter, key, session, ttl);
    }

    /** The Consul session holding the lock (persist it to {@link #resume} after a restart). */
    public String session() {
        return session;
    }

    public String datacenter() {
        return datacenter;
    }

    private static String describeHolder(KvEntry entry) {
        if (entry == null || entry.session() == null) {
            return "another session (released just now; try again)";
        }
        try {
            JsonNode holder = JSON.readTree(entry.value());
            return printable(holder.path("holder").asText("unknown")) + " since " + printable(holder.path("since").asText("unknown"));
        } catch (Exception e) {
            return "session " + entry.session();
        }
    }

    /** Holder text comes from KV (anyone could have written it): no control characters, bounded length. */
    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    private void renew() {
        try {
            if (!consul.renewSession(datacenter, session, Cancellation.create())) {
                lost = true;
            }
        } catch (RuntimeException e) {
            // a missed renewal is survivable until the TTL runs out; the next one may succeed
        }
    }

    /** Fails unless {@code lock} is held: mutations take it as proof, so none runs outside the lock. */
    public static void requireHeld(EnvironmentLock lock, String action) {
        if (lock == null || lock.isLost()) {
            throw new IllegalStateException("the environment lock is not held (or its session expired): refusing to " + action);
        }
    }

    /** True when Consul no longer knows the session (the TTL ran out): the lock is no longer held. */
    public boolean isLost() {
        return lost;
    }

    public String key() {
        return key;
    }

    /** Releases the lock and destroys its session; see {@link #release()} to learn whether it worked. */
    @Override
    public void close() {
        release();
    }

    /**
     * Releases the lock and destroys the session. Runs even when the calling thread was
     * interrupted (an aborted build interrupts it): the interrupt is set aside for the two
     * requests and restored afterwards. Returns false when Consul could not be told; the
     * session's TTL then frees the lock.
     */
    public boolean release() {
        renewer.shutdownNow();
        boolean interrupted = Thread.interrupted();
        try {
            boolean released = quietly(() -> consul.release(datacenter, key, session, Cancellation.create()));
            boolean destroyed = quietly(() -> consul.destroySession(datacenter, session, Cancellation.create()));
            return released && destroyed;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean quietly(Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            // releasing is best effort: the session TTL frees the lock if this fails
            return false;
        }
    }

    /** The lock is held by someone else. */
    public static final class LockBusyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LockBusyException(String key, String holder) {
            super("lock " + key + " is held by " + holder);
        }
    }
}
