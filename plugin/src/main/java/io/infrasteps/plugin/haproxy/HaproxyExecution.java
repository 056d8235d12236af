package io.infrasteps.plugin.haproxy;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.SshOptions;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.JenkinsStepServices;
import io.infrasteps.plugin.common.SiteRef;
import io.infrasteps.plugin.common.StepFailures;
import io.infrasteps.plugin.common.StepServices;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * What every HAProxy step execution does around its operation: resolve the proxies (site, site file, site YAML
 * text or explicit addresses; only a site file needs the workspace), resolve SSH credentials only when an ssh://
 * proxy needs them, run the operation with a console listener and a cancellation token, and turn input and fleet
 * failures into {@link AbortException}s that name the argument or the proxies. Secrets are read inside
 * {@link #run()} into local variables only: nothing secret is a field, so nothing secret is ever serialized with the
 * execution.
 */
abstract class HaproxyExecution<T> extends SynchronousNonBlockingStepExecution<T> {
    private static final long serialVersionUID = 1L;

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final transient AbstractHaproxyStep step;
    private transient volatile Cancellation cancellation;

    HaproxyExecution(AbstractHaproxyStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    /** The proxies to act on and how to reach them. Holds no secret. */
    static final class Target {
        final List<ProxyEndpoint> proxies;
        /** The site, or null for explicit proxies. */
        final Site site;
        final String description;
        final int parallelism;
        final Duration timeout;

        Target(List<ProxyEndpoint> proxies, Site site, String description, int parallelism, Duration timeout) {
            this.proxies = List.copyOf(proxies);
            this.site = site;
            this.description = description;
            this.parallelism = parallelism;
            this.timeout = timeout;
        }
    }

    /** The step whose arguments this runs (not kept across a restart: these executions do not resume). */
    AbstractHaproxyStep step() {
        return step;
    }

    /** The step's own work on the fleet; console lines go to {@code log}. */
    abstract T operate(HaproxyFleet fleet, Target target, PrintStream log, ProgressListener progress,
            Cancellation cancellation) throws Exception;

    /** A chance to adjust the resolved proxies (e.g. explicit map paths). */
    List<ProxyEndpoint> adjust(List<ProxyEndpoint> proxies) {
        return proxies;
    }

    @Override
    protected final T run() throws Exception {
        TaskListener listener = getContext().get(TaskListener.class);
        PrintStream log = listener.getLogger();
        Cancellation token = Cancellation.create();
        cancellation = token;
        String fn = step.functionName();
        try {
            Target target = resolve();
            SshOptions ssh = null;
            try {
                ssh = step.sshOptions(target.proxies, target.site, target.description, services());
                try (HaproxyConnector connector = new HaproxyConnector(target.timeout, ssh)) {
                    HaproxyFleet fleet = new HaproxyFleet(target.proxies, connector,
                            new FleetOptions(target.parallelism, step.isTolerateFailures()));
                    ProgressListener progress = line -> {
                        synchronized (log) {
                            log.println(line);
                        }
                    };
                    return operate(fleet, target, log, progress, token);
                }
            } finally {
                if (ssh != null) {
                    ssh.wipe();
                }
            }
        } catch (Exception e) {
            Throwable t = StepFailures.translate(fn, e);
            throw t instanceof Exception ? (Exception) t : e;
        } finally {
            cancellation = null;
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

    Target resolve() throws IOException, InterruptedException {
        SiteRef ref = step.validateTarget(); // every argument checked: the values read below are the checked ones
        List<String> regions = step.regions();
        Site site = null;
        String description;
        if (ref != null) {
            site = ref.resolve(services());
            description = ref.describe(site);
        } else {
            description = "the given proxies";
        }
        List<ProxyEndpoint> proxies = new ArrayList<>();
        if (site != null) {
            proxies.addAll(site.proxies(regions == null ? List.of() : regions));
            if (regions != null) {
                description += " in " + String.join(", ", regions);
            }
        } else {
            List<String> addresses = step.proxies();
            for (int i = 0; i < addresses.size(); i++) {
                proxies.add(ProxyEndpoint.explicit("proxies[" + i + "]", addresses.get(i)));
            }
        }
        if (proxies.isEmpty()) {
            throw new InvalidInputException(regions != null ? "regions" : ref == null ? "proxies" : ref.argument(),
                    "selects no proxy", "a site and regions with at least one haproxy entry");
        }
        int parallelism = site != null ? site.parallelism() : FleetOptions.defaults().parallelism();
        Duration timeout = site != null && site.commandTimeout() != null ? site.commandTimeout() : DEFAULT_TIMEOUT;
        return new Target(adjust(proxies), site, description, parallelism, timeout);
    }

    // ---- the seam over Jenkins services; unit tests supply their own ----

    /** Jenkins services: configured sites, the workspace, credentials, the build. */
    StepServices services() {
        return new JenkinsStepServices(getContext(), step.functionName());
    }
}
