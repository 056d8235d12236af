package io.infrasteps.plugin.haproxy;

import hudson.AbortException;
import hudson.Extension;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.haproxy.FleetStatus;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.plugin.common.SshSiteStepDescriptor;
import io.infrasteps.plugin.common.StepArguments;
import java.io.PrintStream;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code haproxyStatus}: reads every server of every proxy of a site (or of the given proxies) through the HAProxy
 * runtime API, prints one line per proxy and returns a {@link HaproxyStatusResult}. Fails when a proxy cannot be
 * read, unless {@code tolerateFailures: true}.
 * <pre>
 * def status = haproxyStatus site: 'stage', regions: ['us-ashburn-1']
 * </pre>
 */
public class HaproxyStatusStep extends AbstractHaproxyStep {

    static final String FUNCTION = "haproxyStatus";
    /** Every argument, in the order they are checked: those of every HAProxy step. */
    static final StepArguments ARGUMENTS = HAPROXY_ARGUMENTS;

    @DataBoundConstructor
    public HaproxyStatusStep() {
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    public StepArguments arguments() {
        return ARGUMENTS;
    }

    @Override
    protected StepExecution execution(StepContext context) throws Exception {
        validateTarget();
        return new Execution(this, context);
    }

    /** Runs on a background thread; needs no state across a restart (it is a single read). */
    public static class Execution extends HaproxyExecution<HaproxyStatusResult> {
        private static final long serialVersionUID = 1L;

        Execution(HaproxyStatusStep step, StepContext context) {
            super(step, context);
        }

        @Override
        HaproxyStatusResult operate(HaproxyFleet fleet, Target target, PrintStream log, ProgressListener progress,
                Cancellation cancellation) throws AbortException {
            progress.line(FUNCTION + ": reading " + target.proxies.size() + " prox" + (target.proxies.size() == 1 ? "y" : "ies")
                    + " of " + target.description);
            FleetStatus status = fleet.status(progress, cancellation);
            HaproxyStatusResult result = new HaproxyStatusResult(status);
            int unreachable = result.getUnreachable().size();
            String summary = FUNCTION + ": " + result.getServers().size() + " servers on " + (status.proxies().size() - unreachable)
                    + " of " + status.proxies().size() + " proxies";
            if (unreachable > 0 && !step().isTolerateFailures()) {
                throw new AbortException(summary + "; " + unreachable + " unreachable: " + String.join("; ", result.getUnreachable())
                        + " (tolerateFailures: true returns the partial status instead)");
            }
            progress.line(summary + (unreachable > 0 ? "; " + unreachable + " unreachable (tolerated)" : ""));
            return result;
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
            return "Read the state of HAProxy servers";
        }

        /** Shows the target, never credentials or known_hosts text, nor a value that is not valid. */
        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return ARGUMENTS.describe(namedArgs, "site", "siteFile", "siteYaml", "proxies", "regions");
        }
    }
}
