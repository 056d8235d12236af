package io.infrasteps.plugin.shard;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.TaskListener;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.SshOptions;
import io.infrasteps.engine.shard.ShardName;
import io.infrasteps.engine.shard.ShardReport;
import io.infrasteps.engine.shard.ShardValidator;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.AbstractSshSiteStep;
import io.infrasteps.plugin.common.ConsulAccess;
import io.infrasteps.plugin.common.JenkinsStepServices;
import io.infrasteps.plugin.common.SiteRef;
import io.infrasteps.plugin.common.SshSiteStepDescriptor;
import io.infrasteps.plugin.common.StepArguments;
import io.infrasteps.plugin.common.StepArguments.Argument;
import io.infrasteps.plugin.common.StepFailures;
import io.infrasteps.plugin.common.StepServices;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code validateShard}: checks each shard in parallel — its Consul registration and checks, its sidecar's
 * {@code /signal/report}, that every HAProxy of the site sees its server UP (when the site has proxies), and its
 * ready/drain state in Consul KV — records the outcome as {@code shard-test/<env>/<shard>} with this build's number,
 * prints one line per shard and returns a {@link ShardValidationResult}. Fails naming the failed shards unless
 * {@code tolerateFailures: true}.
 * <pre>
 * validateShard site: 'stage', shards: ['stage-us-ashburn-1-s2', 'stage-eu-frankfurt-1-s3']
 * </pre>
 */
public class ValidateShardStep extends AbstractSshSiteStep {

    static final String FUNCTION = "validateShard";
    /** Timeout of one sidecar request. */
    static final Duration SIDECAR_TIMEOUT = Duration.ofSeconds(5);
    /** Shards validated at once. */
    static final int PARALLELISM = 16;

    static final Argument<ValidateShardStep, List<String>> SHARDS = Argument.of("shards", ValidateShardStep.class,
            ValidateShardStep::getShards, ShardArguments.SHARDS);
    static final Argument<ValidateShardStep, Boolean> TOLERATE_FAILURES = Argument.of("tolerateFailures", ValidateShardStep.class,
            ValidateShardStep::isTolerateFailures, StepArguments.FLAG);

    /** Every argument, in the order they are checked. */
    static final StepArguments ARGUMENTS = SITE_ARGUMENTS.with(SHARDS, TOLERATE_FAILURES, CREDENTIALS_ID, KNOWN_HOSTS);

    private List<String> shards;
    private boolean tolerateFailures;

    @DataBoundConstructor
    public ValidateShardStep() {
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

    public boolean isTolerateFailures() {
        return tolerateFailures;
    }

    /** Return the report instead of failing when a shard fails a check. */
    @DataBoundSetter
    public void setTolerateFailures(boolean tolerateFailures) {
        this.tolerateFailures = tolerateFailures;
    }

    @Override
    protected StepExecution execution(StepContext context) throws Exception {
        SiteRef site = siteRef();
        if (SHARDS.value(this) == null) {
            throw abort(new InvalidInputException("shards", "is required", "a list of shard names such as ['stage-us-ashburn-1-s2']"));
        }
        return new Execution(this, site, context);
    }

    /** Runs on a background thread; a validation is short, so it does not resume after a restart (it can be re-run). */
    public static class Execution extends SynchronousNonBlockingStepExecution<ShardValidationResult> {
        private static final long serialVersionUID = 1L;

        private final transient ValidateShardStep step;
        private final transient SiteRef site;
        private transient volatile Cancellation cancellation;

        protected Execution(ValidateShardStep step, SiteRef site, StepContext context) {
            super(context);
            this.step = step;
            this.site = site;
        }

        /** Jenkins services; unit tests supply their own. */
        StepServices services() {
            return new JenkinsStepServices(getContext(), FUNCTION);
        }

        @Override
        protected ShardValidationResult run() throws Exception {
            Cancellation token = Cancellation.create();
            cancellation = token;
            try {
                return validate(token);
            } catch (Exception e) {
                Throwable t = StepFailures.translate(FUNCTION, e);
                throw t instanceof Exception ? (Exception) t : e;
            } finally {
                cancellation = null;
            }
        }

        private ShardValidationResult validate(Cancellation token) throws Exception {
            PrintStream log = getContext().get(TaskListener.class).getLogger();
            ProgressListener progress = line -> {
                synchronized (log) {
                    log.println(StepFailures.printable(line));
                }
            };
            StepServices services = services();
            Site s = site.resolve(services);
            String description = site.describe(s);
            List<ShardName> names = ShardArguments.parse(SHARDS.value(step), s);
            ConsulAccess.requireConsul(s, description);
            List<ProxyEndpoint> proxies = s.proxies(List.of());
            SshOptions ssh = step.sshOptions(proxies, s, description, services);
            try (ConsulSite consul = ConsulAccess.open(s, description, services);
                 HaproxyConnector connector = new HaproxyConnector(s.commandTimeout() != null ? s.commandTimeout() : Duration.ofSeconds(10), ssh)) {
                HaproxyFleet fleet = proxies.isEmpty() ? null
                        : new HaproxyFleet(proxies, connector, new FleetOptions(s.parallelism(), true));
                progress.line(FUNCTION + ": validating " + names.size() + " shard" + (names.size() == 1 ? "" : "s") + " of " + description
                        + (fleet == null ? " (the site has no proxies: no HAProxy check)" : " against " + proxies.size() + " prox"
                        + (proxies.size() == 1 ? "y" : "ies")));
                String build = services.buildNumber();
                List<ShardReport> reports = new ShardValidator(consul, fleet, SIDECAR_TIMEOUT, PARALLELISM)
                        .validate(names, build, progress, token);
                ShardValidationResult result = new ShardValidationResult(reports);
                List<String> failed = result.getFailedShards();
                String summary = FUNCTION + ": " + (names.size() - failed.size()) + " of " + names.size() + " passed; recorded in shard-test/"
                        + s.name() + "/<shard> with build " + build;
                if (!failed.isEmpty() && !step.isTolerateFailures()) {
                    StringBuilder message = new StringBuilder(FUNCTION + ": " + failed.size() + " of " + names.size() + " shards failed: "
                            + String.join(", ", failed));
                    for (ShardReport report : reports) {
                        if (!report.passed()) {
                            message.append("\n  ").append(StepFailures.printable(report.line()));
                        }
                    }
                    throw new AbortException(message.append("\n(tolerateFailures: true returns the report instead)").toString());
                }
                progress.line(summary + (failed.isEmpty() ? "" : "; failed (tolerated): " + String.join(", ", failed)));
                return result;
            } finally {
                if (ssh != null) {
                    ssh.wipe();
                }
            }
        }

        @Override
        public void stop(Throwable cause) throws Exception {
            Cancellation token = cancellation;
            if (token != null) {
                token.cancel();
            }
            super.stop(cause);
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
            return "Validate shards (Consul, sidecar, HAProxy, state)";
        }

        /** Shows the site and how many shards, never credentials or known_hosts text, nor a value that is not valid. */
        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return ARGUMENTS.describe(namedArgs, "site", "siteFile", "siteYaml", "shards", "tolerateFailures");
        }
    }
}
