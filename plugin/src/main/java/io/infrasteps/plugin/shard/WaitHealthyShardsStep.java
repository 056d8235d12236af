package io.infrasteps.plugin.shard;

import hudson.AbortException;
import hudson.Extension;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.shard.ShardCatalog;
import io.infrasteps.engine.shard.ShardHealthWaiter;
import io.infrasteps.engine.shard.ShardName;
import io.infrasteps.engine.shard.ShardRecord;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.AbstractSiteStep;
import io.infrasteps.plugin.common.BackgroundStepExecution;
import io.infrasteps.plugin.common.ConsulAccess;
import io.infrasteps.plugin.common.JenkinsStepServices;
import io.infrasteps.plugin.common.SiteRef;
import io.infrasteps.plugin.common.SiteStepDescriptor;
import io.infrasteps.plugin.common.StepArguments;
import io.infrasteps.plugin.common.StepArguments.Argument;
import io.infrasteps.plugin.common.StepServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code waitHealthyShards}: waits until every given shard (or every shard of a release, as registered in Consul)
 * is registered with all its Consul checks passing, and returns as soon as they are, with the shard names. Uses
 * Consul blocking queries (one per region at a time), never sleeps; holds no executor. On timeout it fails naming
 * each unhealthy shard and why. Survives a controller restart: the absolute deadline, the shard list and the site
 * reference are saved with the build, and the wait re-arms with the remaining time. With {@code site} or
 * {@code siteYaml} it needs no workspace, so it runs outside {@code node { }} and holds no executor at all.
 * <pre>
 * waitHealthyShards site: 'stage', release: 42, timeoutMinutes: 30
 * waitHealthyShards siteYaml: libraryResource('sites/stage.yaml'), release: 42   // no node needed
 * </pre>
 */
public class WaitHealthyShardsStep extends AbstractSiteStep {

    static final String FUNCTION = "waitHealthyShards";
    static final int DEFAULT_TIMEOUT_MINUTES = 20;
    static final int MAX_TIMEOUT_MINUTES = 24 * 60;
    /** How long the last look takes when the deadline passed while Jenkins was down. */
    static final Duration FINAL_CHECK = Duration.ofSeconds(5);

    static final Argument<WaitHealthyShardsStep, List<String>> SHARDS = Argument.of("shards", WaitHealthyShardsStep.class,
            WaitHealthyShardsStep::getShards, ShardArguments.SHARDS);
    static final Argument<WaitHealthyShardsStep, Integer> RELEASE = Argument.of("release", WaitHealthyShardsStep.class,
            WaitHealthyShardsStep::getRelease, ShardArguments.RELEASE);
    static final Argument<WaitHealthyShardsStep, Integer> TIMEOUT_MINUTES = Argument.of("timeoutMinutes", WaitHealthyShardsStep.class,
            WaitHealthyShardsStep::getTimeoutMinutes, StepArguments.integer(1, MAX_TIMEOUT_MINUTES));

    /** Every argument, in the order they are checked. */
    static final StepArguments ARGUMENTS = SITE_ARGUMENTS.with(SHARDS, RELEASE, TIMEOUT_MINUTES);

    private List<String> shards;
    private Integer release;
    private Integer timeoutMinutes;

    @DataBoundConstructor
    public WaitHealthyShardsStep() {
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    public StepArguments arguments() {
        return ARGUMENTS;
    }

    public List<String> getShards() {
        return shards;
    }

    /** Shard names of the site, {@code <shardBase>-<region>-s<N>}. */
    @DataBoundSetter
    public void setShards(List<String> shards) {
        this.shards = StepArguments.given(shards);
    }

    public Integer getRelease() {
        return release;
    }

    /** Instead of shards: every shard of this release registered in Consul when the wait begins. */
    @DataBoundSetter
    public void setRelease(Integer release) {
        this.release = release;
    }

    public Integer getTimeoutMinutes() {
        return timeoutMinutes;
    }

    /** 1..1440; 20 when not given. */
    @DataBoundSetter
    public void setTimeoutMinutes(Integer timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    // ---- the checked values (valid once start() has checked the arguments) ----

    List<String> shards() {
        return SHARDS.value(this);
    }

    Integer release() {
        return RELEASE.value(this);
    }

    /** The timeout in minutes, {@link #DEFAULT_TIMEOUT_MINUTES} when not given. */
    int timeoutMinutes() {
        Integer minutes = TIMEOUT_MINUTES.value(this);
        return minutes == null ? DEFAULT_TIMEOUT_MINUTES : minutes;
    }

    @Override
    protected StepExecution execution(StepContext context) throws Exception {
        SiteRef site = siteRef();
        List<String> shards = shards();
        Integer release = release();
        if ((shards == null) == (release == null)) {
            throw abort(ShardArguments.shardsOrRelease(shards != null));
        }
        return new Execution(site, shards, release, timeoutMinutes(), context);
    }

    /**
     * Waits on a background thread. Saved with the program (non-transient): the site reference (a name, a workspace
     * path, or the site YAML text, which holds credential ids only), the shards (given, or resolved from the release
     * once), the release, the timeout and the absolute deadline in epoch milliseconds.
     * Nothing secret: the Consul token is looked up again on every (re-)start and lives only on the waiting thread.
     */
    public static class Execution extends BackgroundStepExecution {
        private static final long serialVersionUID = 1L;

        private final SiteRef site;
        private final Integer release;
        private final int timeoutMinutes;
        private volatile ArrayList<String> shards;
        private volatile long deadlineMillis;

        protected Execution(SiteRef site, List<String> shards, Integer release, int timeoutMinutes, StepContext context) {
            super(context);
            this.site = site;
            this.release = release;
            this.timeoutMinutes = timeoutMinutes;
            this.shards = shards == null ? null : new ArrayList<>(shards);
        }

        @Override
        protected String functionName() {
            return FUNCTION;
        }

        /** Jenkins services; unit tests supply their own. */
        StepServices services() {
            return new JenkinsStepServices(getContext(), FUNCTION);
        }

        /** The current time in epoch milliseconds; unit tests move it. */
        long now() {
            return System.currentTimeMillis();
        }

        /** The timeout from the start; unit tests shorten it. */
        long timeoutMillis() {
            return timeoutMinutes * 60_000L;
        }

        /** The saved deadline (epoch milliseconds). */
        long deadlineMillis() {
            return deadlineMillis;
        }

        /** The saved shard list, or null while a release's shards are not resolved yet. */
        List<String> savedShards() {
            return shards;
        }

        @Override
        public boolean start() {
            deadlineMillis = now() + timeoutMillis();
            background(token -> await(false, token));
            return false;
        }

        /** After a restart: re-arm with the time left, or take a final look when the deadline passed meanwhile. */
        @Override
        public void onResume() {
            if (isCompleted()) {
                return;
            }
            background(token -> await(true, token));
        }

        private void await(boolean resumed, Cancellation token) throws Exception {
            ProgressListener console = console();
            StepServices services = services();
            Site s = site.resolve(services);
            String description = site.describe(s);
            List<String> names = shards;
            List<ShardName> parsed = names == null ? null : ShardArguments.parse(names, s);
            try (ConsulSite consul = ConsulAccess.open(s, description, services)) {
                if (parsed == null) {
                    parsed = releaseShards(consul, s, description, token);
                    List<String> resolved = new ArrayList<>();
                    parsed.forEach(n -> resolved.add(n.toString()));
                    shards = new ArrayList<>(resolved);
                    getContext().saveState();
                    console.line(FUNCTION + ": release " + release + " has " + parsed.size() + " shard" + (parsed.size() == 1 ? "" : "s")
                            + " registered in Consul: " + String.join(", ", resolved));
                }
                long left = deadlineMillis - now();
                boolean passed = left <= 0;
                Instant deadline;
                if (passed) {
                    console.line(FUNCTION + ": the deadline (" + timeoutMinutes + " minutes) passed while Jenkins was down; "
                            + "taking a final look at " + parsed.size() + " shard" + (parsed.size() == 1 ? "" : "s") + " of " + description);
                    deadline = Instant.now().plus(FINAL_CHECK);
                } else {
                    console.line(FUNCTION + ": " + (resumed ? "resumed after a restart; " : "") + "waiting up to " + describe(left)
                            + " for " + parsed.size() + " shard" + (parsed.size() == 1 ? "" : "s") + " of " + description
                            + " to be healthy in Consul");
                    deadline = Instant.now().plusMillis(left);
                }
                ShardHealthWaiter.Result result = new ShardHealthWaiter(consul).await(parsed, deadline, console, token);
                if (result.allHealthy()) {
                    console.line(FUNCTION + ": all " + parsed.size() + " shard" + (parsed.size() == 1 ? " is" : "s are") + " healthy");
                    succeed(new HealthyShardsResult(shards));
                    return;
                }
                String why = passed
                        ? "the deadline (" + timeoutMinutes + " minutes) passed while Jenkins was down and after a final check "
                        : "timed out after " + timeoutMinutes + " minute" + (timeoutMinutes == 1 ? "" : "s") + "; ";
                int late = result.unhealthy().size();
                throw new AbortException(FUNCTION + ": " + why + late + " of " + parsed.size() + " shard" + (parsed.size() == 1 ? "" : "s")
                        + (late == 1 ? " is" : " are") + " not healthy:" + result.describe());
            }
        }

        private List<ShardName> releaseShards(ConsulSite consul, Site s, String description, Cancellation token) {
            TreeSet<ShardName> found = new TreeSet<>();
            for (ShardRecord record : ShardCatalog.list(consul, List.of(), release, token)) {
                found.add(record.name());
            }
            if (found.isEmpty()) {
                throw new InvalidInputException("release", "has no shards registered in Consul for " + description
                        + " (service " + ShardCatalog.SERVICE + ", meta release_number " + release + ")",
                        "a release whose shards have registered, or shards: [...] to wait for named shards");
            }
            return new ArrayList<>(found);
        }

        private static String describe(long millis) {
            long seconds = (millis + 999) / 1000;
            return seconds >= 120 ? (seconds + 59) / 60 + " minutes" : seconds + " s";
        }

        @Override
        public String getStatus() {
            long left = deadlineMillis - now();
            List<String> names = shards;
            return (names == null ? "resolving the shards of release " + release : "waiting for " + names.size() + " shards")
                    + (left > 0 ? ", " + describe(left) + " left" : ", deadline passed");
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends SiteStepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Wait until shards are healthy in Consul";
        }

        /** Shows the site, the shards' number or the release, and the timeout; never a value that is not valid. */
        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return ARGUMENTS.describe(namedArgs, "site", "siteFile", "siteYaml", "shards", "release", "timeoutMinutes");
        }
    }
}
