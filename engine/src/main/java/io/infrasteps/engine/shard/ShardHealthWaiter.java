package io.infrasteps.engine.shard;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulClient;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.Indexed;
import io.infrasteps.engine.consul.ServiceInstance;
import io.infrasteps.engine.site.Region;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;

/**
 * Waits until shards are healthy in Consul (registered, every check passing) with one blocking
 * query per region at a time: Consul answers as soon as anything changes, so the wait ends
 * within one round trip of the last shard turning healthy, and an idle wait costs one request
 * per region per wait interval instead of a poll every minute.
 */
public final class ShardHealthWaiter {
    /** Longest single blocking query; Consul caps {@code wait} at 10 minutes. */
    static final Duration MAX_BLOCK = Duration.ofMinutes(5);

    private final ConsulSite consul;

    public ShardHealthWaiter(ConsulSite consul) {
        this.consul = consul;
    }

    /** The outcome: every shard healthy, or the reasons of those that are not. */
    public static final class Result {
        private final Map<ShardName, String> unhealthy;

        Result(Map<ShardName, String> unhealthy) {
            this.unhealthy = unhealthy;
        }

        public boolean allHealthy() {
            return unhealthy.isEmpty();
        }

        /** Shard to the reason it is not healthy. */
        public Map<ShardName, String> unhealthy() {
            return unhealthy;
        }

        public String describe() {
            StringBuilder text = new StringBuilder();
            unhealthy.forEach((shard, reason) -> text.append("\n  ").append(shard).append(": ").append(reason));
            return text.toString();
        }
    }

    /** One look without waiting: a health read per region, the reasons of the shards that are not healthy. */
    public Result check(List<ShardName> shards, Cancellation cancellation) {
        Map<String, List<ShardName>> byRegion = new TreeMap<>();
        shards.forEach(s -> byRegion.computeIfAbsent(s.region(), r -> new ArrayList<>()).add(s));
        Map<ShardName, String> unhealthy = new LinkedHashMap<>();
        for (Map.Entry<String, List<ShardName>> entry : byRegion.entrySet()) {
            Region region = consul.site().findRegion(entry.getKey()).orElseThrow();
            List<ServiceInstance> instances = ShardCatalog.health(consul, region, null, 0, null, cancellation).value();
            evaluate(region, entry.getValue(), instances).forEach((shard, reason) -> {
                if (reason != null) {
                    unhealthy.put(shard, reason);
                }
            });
        }
        return new Result(unhealthy);
    }

    /** Waits until every shard is healthy or {@code deadline} passes; never throws on timeout, the result says who is late. */
    public Result await(List<ShardName> shards, Instant deadline, ProgressListener listener, Cancellation cancellation) {
        Map<String, List<ShardName>> byRegion = new TreeMap<>();
        shards.forEach(s -> byRegion.computeIfAbsent(s.region(), r -> new ArrayList<>()).add(s));
        Map<ShardName, String> reasons = new LinkedHashMap<>();
        shards.forEach(s -> reasons.put(s, "not seen yet"));
        Object changed = new Object();
        List<Thread> watchers = new ArrayList<>();
        RuntimeException[] failure = new RuntimeException[1];
        Cancellation stop = Cancellation.create();
        try (AutoCloseable ignored = cancellation.onCancel(stop::cancel)) {
            for (Map.Entry<String, List<ShardName>> entry : byRegion.entrySet()) {
                Region region = consul.site().findRegion(entry.getKey()).orElseThrow();
                Thread watcher = new Thread(() -> {
                    try {
                        watch(region, entry.getValue(), deadline, reasons, changed, listener, stop);
                    } catch (CancellationException e) {
                        // stopped: everything is healthy, the deadline passed or the build was aborted
                    } catch (RuntimeException e) {
                        synchronized (changed) {
                            failure[0] = e;
                            changed.notifyAll();
                        }
                    }
                }, "infra-steps-health-" + region.name());
                watcher.setDaemon(true);
                watchers.add(watcher);
                watcher.start();
            }
            synchronized (changed) {
                while (true) {
                    cancellation.throwIfCancelled();
                    if (failure[0] != null) {
                        throw failure[0];
                    }
                    if (reasons.values().stream().allMatch(r -> r == null)) {
                        return new Result(Map.of());
                    }
                    long remaining = Duration.between(Instant.now(), deadline).toMillis();
                    if (remaining <= 0) {
                        Map<ShardName, String> late = new LinkedHashMap<>();
                        reasons.forEach((s, r) -> {
                            if (r != null) {
                                late.put(s, r);
                            }
                        });
                        return new Result(late);
                    }
                    changed.wait(remaining);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            stop.cancel();
        }
    }

    private void watch(Region region, List<ShardName> shards, Instant deadline, Map<ShardName, String> reasons, Object changed,
                       ProgressListener listener, Cancellation stop) {
        long index = 0;
        while (!stop.isCancelled()) {
            Duration remaining = Duration.between(Instant.now(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                return;
            }
            Duration wait = remaining.compareTo(MAX_BLOCK) < 0 ? remaining : MAX_BLOCK;
            Indexed<List<ServiceInstance>> answer = ShardCatalog.health(consul, region, null, index, wait, stop);
            index = ConsulClient.nextIndex(index, answer.index());
            Map<ShardName, String> now = evaluate(region, shards, answer.value());
            synchronized (changed) {
                now.forEach((shard, reason) -> {
                    String before = reasons.get(shard);
                    if (before == null ? reason != null : !before.equals(reason)) {
                        listener.line("[" + region.name() + "] " + shard + ": " + (reason == null ? "healthy" : reason));
                    }
                    reasons.put(shard, reason);
                });
                changed.notifyAll();
            }
        }
    }

    /** Null for a healthy shard, otherwise why not. */
    private Map<ShardName, String> evaluate(Region region, List<ShardName> shards, List<ServiceInstance> instances) {
        Map<ShardName, String> result = new LinkedHashMap<>();
        for (ShardName shard : shards) {
            ServiceInstance found = null;
            for (ServiceInstance instance : instances) {
                if (shard.toString().equals(instance.meta("shard"))) {
                    found = instance;
                }
            }
            result.put(shard, reason(region, found));
        }
        return result;
    }

    static String reason(Region region, ServiceInstance instance) {
        if (instance == null) {
            return "not registered in Consul (service " + ShardCatalog.SERVICE + ", datacenter " + region.datacenter() + ")";
        }
        List<String> failing = new ArrayList<>();
        for (ServiceInstance.Check check : instance.checks()) {
            if (!"passing".equals(check.status())) {
                String output = check.output() == null ? "" : check.output().strip().replaceAll("\\p{Cntrl}", " ");
                failing.add("check '" + check.name() + "' is " + check.status()
                        + (output.isEmpty() ? "" : " (" + (output.length() > 120 ? output.substring(0, 120) + "..." : output) + ")"));
            }
        }
        return failing.isEmpty() ? null : String.join("; ", failing);
    }
}
