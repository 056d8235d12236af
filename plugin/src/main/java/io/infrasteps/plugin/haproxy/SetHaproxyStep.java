package io.infrasteps.plugin.haproxy;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.haproxy.ServerTarget;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.release.ReleaseGa;
import io.infrasteps.engine.shard.ShardName;
import io.infrasteps.engine.shard.ShardStates;
import io.infrasteps.plugin.common.ConsulAccess;
import io.infrasteps.plugin.common.StepFailures;
import io.infrasteps.plugin.common.StepServices;
import io.infrasteps.plugin.consul.EnvironmentLocks;
import io.infrasteps.plugin.consul.LockLease;
import io.infrasteps.plugin.common.SshSiteStepDescriptor;
import io.infrasteps.plugin.common.StepArguments;
import io.infrasteps.plugin.common.StepArguments.Argument;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code setHaproxy}: changes servers or proxies through the HAProxy runtime API on every proxy of a site (or the
 * given proxies), then reads the change back. A server is a {@code shard} (the server of that name in every backend
 * that has it) or one {@code backend} + {@code server}; its {@code state} (ready, drain, maint) and/or
 * {@code weight} (0..256) are set. Or {@code health} (up, down) sets each proxy's up map for the cloud load
 * balancer. Draining or maintaining the last ready server of a shared backend is refused unless {@code force}.
 *
 * <p>On a site with Consul endpoints every change runs under the environment lock ({@code locks/<env>/haproxy-state},
 * taken by the step, or borrowed from an enclosing {@code withEnvironmentLock}); a shard's ready/drain state is also
 * written to {@code shard-states/<env>/<shard>} with compare-and-set, so it survives HAProxy reloads; and
 * {@code liveRelease: N} makes release N GA: refused unless every shard of release N is healthy in Consul (or
 * {@code force}), it writes {@code releases/<env>/live = release-N} in every datacenter and swaps the live map on every
 * proxy atomically. Explicit {@code proxies} keep the runtime-API-only behaviour.
 * <pre>
 * setHaproxy site: 'stage', shard: 'stage-us-ashburn-1-s2', state: 'drain'
 * setHaproxy site: 'stage', regions: ['eu-frankfurt-1'], health: 'down'
 * setHaproxy site: 'stage', liveRelease: 43
 * </pre>
 */
public class SetHaproxyStep extends AbstractHaproxyStep {

    static final String FUNCTION = "setHaproxy";
    /** Largest release number (as Consul service meta release_number carries it). */
    static final int MAX_RELEASE = 999_999_999;
    /** How health is given. */
    static final String HEALTH_FORM = "up or down";

    static final Argument<SetHaproxyStep, String> SHARD = Argument.of("shard", SetHaproxyStep.class, SetHaproxyStep::getShard,
            StepArguments.name(Inputs.HAPROXY_NAME));
    static final Argument<SetHaproxyStep, String> BACKEND = Argument.of("backend", SetHaproxyStep.class, SetHaproxyStep::getBackend,
            StepArguments.name(Inputs.HAPROXY_NAME));
    static final Argument<SetHaproxyStep, String> SERVER = Argument.of("server", SetHaproxyStep.class, SetHaproxyStep::getServer,
            StepArguments.name(Inputs.HAPROXY_NAME));
    static final Argument<SetHaproxyStep, String> STATE = Argument.of("state", SetHaproxyStep.class, SetHaproxyStep::getState,
            StepArguments.text(ServerState.ALLOWED, (field, value) -> ServerState.parse(field, value).keyword()));
    static final Argument<SetHaproxyStep, Integer> WEIGHT = Argument.of("weight", SetHaproxyStep.class, SetHaproxyStep::getWeight,
            StepArguments.integer(0, 256));
    static final Argument<SetHaproxyStep, String> HEALTH = Argument.of("health", SetHaproxyStep.class, SetHaproxyStep::getHealth,
            StepArguments.text(HEALTH_FORM, (field, value) -> {
                if (!value.equals("up") && !value.equals("down")) {
                    throw new InvalidInputException(field, "is not valid (" + Inputs.describe(value) + ")", HEALTH_FORM);
                }
                return value;
            }));
    static final Argument<SetHaproxyStep, Boolean> FORCE = Argument.of("force", SetHaproxyStep.class, SetHaproxyStep::isForce,
            StepArguments.FLAG);
    static final Argument<SetHaproxyStep, String> UP_MAP = Argument.of("upMap", SetHaproxyStep.class, SetHaproxyStep::getUpMap,
            StepArguments.text(Inputs.ABSOLUTE_PATH.description(), Inputs::absolutePath));
    static final Argument<SetHaproxyStep, Integer> LIVE_RELEASE = Argument.of("liveRelease", SetHaproxyStep.class,
            SetHaproxyStep::getLiveRelease, StepArguments.integer(1, MAX_RELEASE));

    /** Every argument, in the order they are checked: the target's, then the change's. */
    static final StepArguments ARGUMENTS = HAPROXY_ARGUMENTS.with(SHARD, BACKEND, SERVER, STATE, WEIGHT, HEALTH, FORCE, UP_MAP,
            LIVE_RELEASE);

    private String shard;
    private String backend;
    private String server;
    private String state;
    private Integer weight;
    private String health;
    private boolean force;
    private String upMap;
    private Integer liveRelease;

    @DataBoundConstructor
    public SetHaproxyStep() {
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    public StepArguments arguments() {
        return ARGUMENTS;
    }

    public String getShard() {
        return shard;
    }

    /** A shard: its server in every backend that has it. */
    @DataBoundSetter
    public void setShard(String shard) {
        this.shard = StepArguments.given(shard);
    }

    public String getBackend() {
        return backend;
    }

    @DataBoundSetter
    public void setBackend(String backend) {
        this.backend = StepArguments.given(backend);
    }

    public String getServer() {
        return server;
    }

    @DataBoundSetter
    public void setServer(String server) {
        this.server = StepArguments.given(server);
    }

    public String getState() {
        return state;
    }

    /** ready, drain or maint. */
    @DataBoundSetter
    public void setState(String state) {
        this.state = StepArguments.given(state);
    }

    public Integer getWeight() {
        return weight;
    }

    /** 0..256. */
    @DataBoundSetter
    public void setWeight(Integer weight) {
        this.weight = weight;
    }

    public String getHealth() {
        return health;
    }

    /** up or down. */
    @DataBoundSetter
    public void setHealth(String health) {
        this.health = StepArguments.given(health);
    }

    public boolean isForce() {
        return force;
    }

    /** Drain or maintain even the last ready server of a shared backend. */
    @DataBoundSetter
    public void setForce(boolean force) {
        this.force = force;
    }

    public String getUpMap() {
        return upMap;
    }

    /** Path of the up map on the proxy hosts; defaults to the site's haproxy.upMap. */
    @DataBoundSetter
    public void setUpMap(String upMap) {
        this.upMap = StepArguments.given(upMap);
    }

    public Integer getLiveRelease() {
        return liveRelease;
    }

    /** Make this release GA (live) in every datacenter and on every proxy of a site with Consul. */
    @DataBoundSetter
    public void setLiveRelease(Integer liveRelease) {
        this.liveRelease = liveRelease;
    }

    // ---- the checked values (valid once start() has checked the arguments) ----

    String shard() {
        return SHARD.value(this);
    }

    String backend() {
        return BACKEND.value(this);
    }

    String server() {
        return SERVER.value(this);
    }

    /** The state's keyword: ready, drain or maint; or null. */
    String state() {
        return STATE.value(this);
    }

    Integer weight() {
        return WEIGHT.value(this);
    }

    String health() {
        return HEALTH.value(this);
    }

    String upMap() {
        return UP_MAP.value(this);
    }

    Integer liveRelease() {
        return LIVE_RELEASE.value(this);
    }

    /** The server the change applies to, or null for health. */
    ServerTarget serverTarget() {
        String shard = shard();
        if (shard != null) {
            return ServerTarget.shard(shard);
        }
        String backend = backend();
        String server = server();
        return backend != null || server != null ? ServerTarget.of(backend, server) : null;
    }

    /** Every argument, then how the change arguments combine; runs before anything is resolved or contacted. */
    void validateChange() throws AbortException {
        validateTarget();
        String shard = shard();
        String backend = backend();
        String server = server();
        String state = state();
        Integer weight = weight();
        String health = health();
        if (liveRelease() != null) {
            validateLiveRelease();
            return;
        }
        boolean serverChange = state != null || weight != null;
        if (!serverChange && health == null) {
            throw abort(new InvalidInputException("state, weight, health", "none is given",
                    "state (ready|drain|maint) and/or weight (0..256) with shard or backend+server; or health (up|down); "
                            + "or liveRelease (a release number) with a site"));
        }
        if (health != null && serverChange) {
            throw abort(new InvalidInputException("health", "cannot be combined with state or weight",
                    "health alone (it sets each proxy's up map), or state/weight for a server"));
        }
        if (health != null && (shard != null || backend != null || server != null)) {
            throw abort(new InvalidInputException("health", "applies to whole proxies, not to a shard or server",
                    "health without shard, backend and server"));
        }
        if (upMap() != null && health == null) {
            throw abort(new InvalidInputException("upMap", "applies only with health", "upMap together with health"));
        }
        if (serverChange) {
            if (shard != null && (backend != null || server != null)) {
                throw abort(new InvalidInputException("shard", "cannot be combined with backend or server",
                        "either shard, or backend and server"));
            }
            if (shard == null && (backend == null || server == null)) {
                throw abort(new InvalidInputException(shard == null && backend == null && server == null ? "shard"
                        : backend == null ? "backend" : "server", "is required",
                        "either shard, or backend and server, to say which server to change"));
            }
        }
        if (force && !(state != null && !state.equals("ready"))) {
            throw abort(new InvalidInputException("force", "applies only when draining or maintaining, or with liveRelease",
                    "force: true with state: 'drain' or 'maint', or with liveRelease"));
        }
    }

    private void validateLiveRelease() throws AbortException {
        if (proxies() != null) {
            throw abort(new InvalidInputException("liveRelease", "needs a site with Consul, not explicit proxies",
                    "site, siteFile or siteYaml (the live release is written in every Consul datacenter of the site)"));
        }
        if (shard() != null || backend() != null || server() != null || state() != null || weight() != null || health() != null
                || upMap() != null) {
            throw abort(new InvalidInputException("liveRelease", "cannot be combined with shard, backend, server, state, weight, health or upMap",
                    "liveRelease alone (with force: true to skip the shard health check)"));
        }
        if (regions() != null) {
            throw abort(new InvalidInputException("regions", "does not apply to liveRelease",
                    "no regions: the live release is switched in every datacenter and on every proxy"));
        }
    }

    @Override
    protected StepExecution execution(StepContext context) throws Exception {
        validateChange();
        return new Execution(this, context);
    }

    /** Runs on a background thread; a change is short and verified, so it does not resume after a restart. */
    public static class Execution extends HaproxyExecution<HaproxyChangeResult> {
        private static final long serialVersionUID = 1L;

        Execution(SetHaproxyStep step, StepContext context) {
            super(step, context);
        }

        private SetHaproxyStep args() {
            return (SetHaproxyStep) step();
        }

        @Override
        List<ProxyEndpoint> adjust(List<ProxyEndpoint> proxies) {
            String upMap = args().upMap();
            if (upMap == null) {
                return proxies;
            }
            List<ProxyEndpoint> out = new ArrayList<>();
            proxies.forEach(p -> out.add(p.withMaps(null, upMap)));
            return out;
        }

        @Override
        HaproxyChangeResult operate(HaproxyFleet fleet, Target target, PrintStream log, ProgressListener progress,
                Cancellation cancellation) throws Exception {
            SetHaproxyStep a = args();
            if (a.liveRelease() != null) {
                if (target.site == null || !ConsulAccess.hasConsul(target.site)) {
                    throw new InvalidInputException("liveRelease", target.description + " has no Consul endpoint",
                            "a site whose regions name their Consul agent (regions[].consul): GA is kept in Consul KV");
                }
                return underLock(target, progress, cancellation, (consul, lease) -> liveRelease(fleet, consul, lease, target, progress,
                        cancellation));
            }
            if (target.site == null || !ConsulAccess.hasConsul(target.site)) {
                return new HaproxyChangeResult(runtimeChanges(fleet, target, progress, cancellation), List.of(), null);
            }
            boolean keptInConsul = a.shard() != null && a.state() != null && !a.state().equals("maint");
            if (keptInConsul && a.regions() != null) {
                throw new InvalidInputException("regions", "does not apply to a shard's ready/drain state on " + target.description,
                        "no regions: the state is kept per environment in Consul (shard-states/<env>/<shard>) and applied on every proxy");
            }
            ShardName shardName = keptInConsul ? ShardName.parse("shard", a.shard(), target.site) : null;
            return underLock(target, progress, cancellation, (consul, lease) -> {
                if (!keptInConsul) {
                    return new HaproxyChangeResult(runtimeChanges(fleet, target, progress, cancellation), List.of(), lease.lock().key());
                }
                List<FleetChange> changes = new ArrayList<>();
                String on = on(target);
                if (a.weight() != null) {
                    progress.line(FUNCTION + ": weight " + a.weight() + " for " + a.serverTarget() + on);
                    changes.add(fleet.setWeight(a.serverTarget(), a.weight(), progress, cancellation));
                }
                ServerState state = ServerState.parse("state", a.state());
                progress.line(FUNCTION + ": " + a.state() + " shard " + shardName + on + " and in Consul" + (a.isForce() ? " (force)" : ""));
                // ShardStates wrote the key with CAS: Consul accepted exactly this value (or it already held it).
                ShardStates.Result applied = new ShardStates(consul, fleet).apply(shardName, state, a.isForce(), lease.lock(), progress,
                        cancellation);
                changes.add(applied.proxies());
                Map<String, String> datacenter = new LinkedHashMap<>();
                datacenter.put("datacenter", applied.datacenter());
                datacenter.put("key", applied.key());
                datacenter.put("result", "verified");
                datacenter.put("message", applied.key() + " = " + state.keyword());
                summarize(changes, progress);
                return new HaproxyChangeResult(changes, List.of(datacenter), lease.lock().key());
            });
        }

        /** A change made while holding the environment lock (taken here, or borrowed from an enclosing block). */
        @FunctionalInterface
        interface LockedChange {
            HaproxyChangeResult apply(ConsulSite consul, LockLease lease) throws Exception;
        }

        private HaproxyChangeResult underLock(Target target, ProgressListener progress, Cancellation cancellation, LockedChange change)
                throws Exception {
            StepServices services = services();
            try (ConsulSite consul = ConsulAccess.open(target.site, target.description, services);
                 LockLease lease = EnvironmentLocks.forChange(target.site, consul, getContext(), services, FUNCTION, progress, cancellation)) {
                return change.apply(consul, lease);
            }
        }

        private HaproxyChangeResult liveRelease(HaproxyFleet fleet, ConsulSite consul, LockLease lease, Target target,
                ProgressListener progress, Cancellation cancellation) {
            SetHaproxyStep a = args();
            int release = a.liveRelease();
            progress.line(FUNCTION + ": release " + release + " GA" + on(target) + " and in every Consul datacenter"
                    + (a.isForce() ? " (force: shard health not required)" : ""));
            ReleaseGa.Result result = new ReleaseGa(consul, fleet).setLive(release, a.isForce(), lease.lock(), progress, cancellation);
            List<Map<String, String>> datacenters = new ArrayList<>();
            String key = ReleaseGa.liveKey(target.site.name());
            result.datacenters().forEach((dc, outcome) -> {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("datacenter", dc);
                m.put("key", key);
                m.put("result", outcome.startsWith("FAILED") ? "failed" : outcome.startsWith("unchanged") ? "unchanged" : "changed");
                m.put("message", StepFailures.printable(outcome).replace('\n', ' '));
                datacenters.add(m);
            });
            summarize(List.of(result.proxies()), progress);
            return new HaproxyChangeResult(List.of(result.proxies()), datacenters, lease.lock().key());
        }

        /** The runtime-API-only changes (weight, state, health), as before Consul. */
        private List<FleetChange> runtimeChanges(HaproxyFleet fleet, Target target, ProgressListener progress, Cancellation cancellation) {
            SetHaproxyStep a = args();
            List<FleetChange> changes = new ArrayList<>();
            String on = on(target);
            if (a.health() != null) {
                progress.line(FUNCTION + ": health " + a.health() + on);
                changes.add(fleet.setHealth(a.health().equals("up"), progress, cancellation));
            } else {
                ServerTarget server = a.serverTarget();
                // Weight first: a server made ready then takes traffic at its new weight from the start.
                if (a.weight() != null) {
                    progress.line(FUNCTION + ": weight " + a.weight() + " for " + server + on);
                    changes.add(fleet.setWeight(server, a.weight(), progress, cancellation));
                }
                if (a.state() != null) {
                    progress.line(FUNCTION + ": " + a.state() + " " + server + on + (a.isForce() ? " (force)" : ""));
                    changes.add(fleet.setServerState(server, ServerState.parse("state", a.state()), a.isForce(),
                            progress, cancellation));
                }
            }
            summarize(changes, progress);
            return changes;
        }

        private static String on(Target target) {
            return " on " + target.proxies.size() + " prox" + (target.proxies.size() == 1 ? "y" : "ies") + " of " + target.description;
        }

        private static void summarize(List<FleetChange> changes, ProgressListener progress) {
            for (FleetChange change : changes) {
                progress.line(FUNCTION + ": " + change.summary().lines().findFirst().orElse(change.operation()));
            }
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends SshSiteStepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Change HAProxy servers (state, weight) or proxy health";
        }

        /** Shows the target and the change, never credentials or known_hosts text, nor a value that is not valid. */
        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return ARGUMENTS.describe(namedArgs, "site", "siteFile", "siteYaml", "proxies", "regions",
                    "shard", "backend", "server", "state", "weight", "health", "liveRelease", "force");
        }

        @POST
        public FormValidation doCheckShard(@AncestorInPath Item item, @QueryParameter String value) {
            return ARGUMENTS.formCheck(item, "shard", value);
        }

        @POST
        public FormValidation doCheckBackend(@AncestorInPath Item item, @QueryParameter String value) {
            return ARGUMENTS.formCheck(item, "backend", value);
        }

        @POST
        public FormValidation doCheckServer(@AncestorInPath Item item, @QueryParameter String value) {
            return ARGUMENTS.formCheck(item, "server", value);
        }

        @POST
        public FormValidation doCheckState(@AncestorInPath Item item, @QueryParameter String value) {
            return ARGUMENTS.formCheck(item, "state", value);
        }

        @POST
        public FormValidation doCheckHealth(@AncestorInPath Item item, @QueryParameter String value) {
            return ARGUMENTS.formCheck(item, "health", value);
        }

        @POST
        public FormValidation doCheckUpMap(@AncestorInPath Item item, @QueryParameter String value) {
            return ARGUMENTS.formCheck(item, "upMap", value);
        }
    }
}
