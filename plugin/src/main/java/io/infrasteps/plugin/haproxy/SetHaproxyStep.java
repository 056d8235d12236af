package io.infrasteps.plugin.haproxy;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.haproxy.ServerTarget;
import io.infrasteps.plugin.common.StepArguments;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
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
 * <pre>
 * setHaproxy site: 'stage', shard: 'stage-us-ashburn-1-s2', state: 'drain'
 * setHaproxy site: 'stage', regions: ['eu-frankfurt-1'], health: 'down'
 * </pre>
 */
public class SetHaproxyStep extends AbstractHaproxyStep {

    static final String FUNCTION = "setHaproxy";

    private String shard;
    private String backend;
    private String server;
    private String state;
    private Integer weight;
    private String health;
    private boolean force;
    private String upMap;

    @DataBoundConstructor
    public SetHaproxyStep() {
    }

    @Override
    String functionName() {
        return FUNCTION;
    }

    public String getShard() {
        return shard;
    }

    /** A shard: its server in every backend that has it. */
    @DataBoundSetter
    public void setShard(String shard) {
        this.shard = StepArguments.optional("shard", shard, Inputs.HAPROXY_NAME);
    }

    public String getBackend() {
        return backend;
    }

    @DataBoundSetter
    public void setBackend(String backend) {
        this.backend = StepArguments.optional("backend", backend, Inputs.HAPROXY_NAME);
    }

    public String getServer() {
        return server;
    }

    @DataBoundSetter
    public void setServer(String server) {
        this.server = StepArguments.optional("server", server, Inputs.HAPROXY_NAME);
    }

    public String getState() {
        return state;
    }

    /** ready, drain or maint. */
    @DataBoundSetter
    public void setState(String state) {
        String v = StepArguments.fixEmpty(state);
        this.state = v == null ? null : ServerState.parse("state", v).keyword();
    }

    public Integer getWeight() {
        return weight;
    }

    /** 0..256. */
    @DataBoundSetter
    public void setWeight(Integer weight) {
        this.weight = weight == null ? null : Inputs.range("weight", weight, 0, 256);
    }

    public String getHealth() {
        return health;
    }

    /** up or down. */
    @DataBoundSetter
    public void setHealth(String health) {
        String v = StepArguments.fixEmpty(health);
        if (v != null && !v.equals("up") && !v.equals("down")) {
            throw new InvalidInputException("health", "is not valid (" + Inputs.describe(v) + ")", "up or down");
        }
        this.health = v;
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
        String v = StepArguments.fixEmpty(upMap);
        this.upMap = v == null ? null : Inputs.absolutePath("upMap", v);
    }

    /** The server the change applies to, or null for health. */
    ServerTarget serverTarget() {
        if (shard != null) {
            return ServerTarget.shard(shard);
        }
        return backend != null || server != null ? ServerTarget.of(backend, server) : null;
    }

    /** How the change arguments combine; runs before anything is resolved or contacted. */
    void validateChange() throws AbortException {
        validateTarget();
        boolean serverChange = state != null || weight != null;
        if (!serverChange && health == null) {
            throw abort(new InvalidInputException("state, weight, health", "none is given",
                    "state (ready|drain|maint) and/or weight (0..256) with shard or backend+server; or health (up|down)"));
        }
        if (health != null && serverChange) {
            throw abort(new InvalidInputException("health", "cannot be combined with state or weight",
                    "health alone (it sets each proxy's up map), or state/weight for a server"));
        }
        if (health != null && (shard != null || backend != null || server != null)) {
            throw abort(new InvalidInputException("health", "applies to whole proxies, not to a shard or server",
                    "health without shard, backend and server"));
        }
        if (upMap != null && health == null) {
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
            throw abort(new InvalidInputException("force", "applies only when draining or maintaining",
                    "force: true with state: 'drain' or 'maint'"));
        }
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
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
            String upMap = args().getUpMap();
            if (upMap == null) {
                return proxies;
            }
            List<ProxyEndpoint> out = new ArrayList<>();
            proxies.forEach(p -> out.add(p.withMaps(null, upMap)));
            return out;
        }

        @Override
        HaproxyChangeResult operate(HaproxyFleet fleet, Target target, PrintStream log, ProgressListener progress,
                Cancellation cancellation) {
            SetHaproxyStep a = args();
            List<FleetChange> changes = new ArrayList<>();
            String on = " on " + target.proxies.size() + " prox" + (target.proxies.size() == 1 ? "y" : "ies") + " of "
                    + target.description;
            if (a.getHealth() != null) {
                progress.line(FUNCTION + ": health " + a.getHealth() + on);
                changes.add(fleet.setHealth(a.getHealth().equals("up"), progress, cancellation));
            } else {
                ServerTarget server = a.serverTarget();
                // Weight first: a server made ready then takes traffic at its new weight from the start.
                if (a.getWeight() != null) {
                    progress.line(FUNCTION + ": weight " + a.getWeight() + " for " + server + on);
                    changes.add(fleet.setWeight(server, a.getWeight(), progress, cancellation));
                }
                if (a.getState() != null) {
                    progress.line(FUNCTION + ": " + a.getState() + " " + server + on + (a.isForce() ? " (force)" : ""));
                    changes.add(fleet.setServerState(server, ServerState.parse("state", a.getState()), a.isForce(),
                            progress, cancellation));
                }
            }
            for (FleetChange change : changes) {
                progress.line(FUNCTION + ": " + change.summary().lines().findFirst().orElse(change.operation()));
            }
            return new HaproxyChangeResult(changes);
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Change HAProxy servers (state, weight) or proxy health";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            // A workspace (FilePath) is used only for siteFile, and asked for then; site and proxies need none.
            return Set.of(Run.class, TaskListener.class);
        }

        /** Shows the target and the change, never credentials or known_hosts text. */
        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return StepArguments.describe(namedArgs, StepArguments.DISPLAYABLE, "site", "siteFile", "proxies", "regions",
                    "shard", "backend", "server", "state", "weight", "health", "force");
        }

        /** SSH private key credentials the user may pick, after a permission check. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return HaproxyStatusStep.CredentialsDropDown.fill(item, credentialsId);
        }
    }
}
