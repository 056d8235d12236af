package io.infrasteps.plugin.haproxy;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.haproxy.FleetOperationException;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.RuntimeApiAddress;
import io.infrasteps.engine.haproxy.SshOptions;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.SshKeyCredentials;
import io.infrasteps.plugin.common.WorkspaceSiteFile;
import io.infrasteps.plugin.config.InfraStepsConfiguration;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * What every HAProxy step execution does around its operation: resolve the proxies (site, site file or explicit
 * addresses), resolve SSH credentials only when an ssh:// proxy needs them, run the operation with a console
 * listener and a cancellation token, and turn input and fleet failures into {@link AbortException}s that name the
 * argument or the proxies. Secrets are read inside {@link #run()} into local variables only: nothing secret is a
 * field, so nothing secret is ever serialized with the execution.
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
        final String description;
        final String credentialsId;
        final String credentialsField;
        final String knownHosts;
        final int parallelism;
        final Duration timeout;

        Target(List<ProxyEndpoint> proxies, String description, String credentialsId, String credentialsField,
                String knownHosts, int parallelism, Duration timeout) {
            this.proxies = List.copyOf(proxies);
            this.description = description;
            this.credentialsId = credentialsId;
            this.credentialsField = credentialsField;
            this.knownHosts = knownHosts;
            this.parallelism = parallelism;
            this.timeout = timeout;
        }

        ProxyEndpoint firstSsh() {
            return proxies.stream().filter(p -> p.address().kind() == RuntimeApiAddress.Kind.SSH).findFirst().orElse(null);
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
                ProxyEndpoint sshProxy = target.firstSsh();
                if (sshProxy != null) {
                    ssh = sshOptions(target, sshProxy);
                }
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
        } catch (InvalidInputException | FleetOperationException e) {
            throw new AbortException(fn + ": " + e.getMessage());
        } catch (AbortException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(fn + ": ") ? e : new AbortException(fn + ": " + e.getMessage());
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
        Site site = null;
        String description;
        if (step.getSite() != null) {
            site = configuredSite(step.getSite());
            description = "site '" + step.getSite() + "'";
        } else if (step.getSiteFile() != null) {
            String text;
            try {
                text = actOnWorkspace(new WorkspaceSiteFile("siteFile", step.getSiteFile()));
            } catch (AbortException e) {
                throw e;
            } catch (IOException e) {
                throw new AbortException(e.getMessage());
            }
            site = Site.parse(text, "siteFile '" + step.getSiteFile() + "'");
            description = "site '" + site.name() + "' (" + step.getSiteFile() + ")";
        } else {
            description = "the given proxies";
        }
        List<ProxyEndpoint> proxies = new ArrayList<>();
        if (site != null) {
            proxies.addAll(site.proxies(step.getRegions() == null ? List.of() : step.getRegions()));
            if (step.getRegions() != null) {
                description += " in " + String.join(", ", step.getRegions());
            }
        } else {
            List<String> addresses = step.getProxies();
            for (int i = 0; i < addresses.size(); i++) {
                proxies.add(ProxyEndpoint.explicit("proxies[" + i + "]", addresses.get(i)));
            }
        }
        if (proxies.isEmpty()) {
            throw new InvalidInputException(step.getRegions() != null ? "regions" : "site",
                    "selects no proxy", "a site and regions with at least one haproxy entry");
        }
        String credentialsId = step.getCredentialsId();
        String credentialsField = "credentialsId";
        if (credentialsId == null && site != null && site.credentials() != null && site.credentials().ssh() != null) {
            credentialsId = site.credentials().ssh();
            credentialsField = "credentials.ssh of " + description;
        }
        String knownHosts = step.getKnownHosts() != null ? step.getKnownHosts() : site != null ? site.knownHosts() : null;
        int parallelism = site != null ? site.parallelism() : FleetOptions.defaults().parallelism();
        Duration timeout = site != null && site.commandTimeout() != null ? site.commandTimeout() : DEFAULT_TIMEOUT;
        return new Target(adjust(proxies), description, credentialsId, credentialsField, knownHosts, parallelism, timeout);
    }

    private SshOptions sshOptions(Target target, ProxyEndpoint sshProxy) throws IOException, InterruptedException {
        if (target.credentialsId == null) {
            throw new InvalidInputException("credentialsId", "is required for ssh:// proxy " + sshProxy.label(),
                    "the id of " + SshKeyCredentials.EXPECTED + ", as a step argument or credentials.ssh in the site");
        }
        if (target.knownHosts == null) {
            throw new InvalidInputException("knownHosts", "is required for ssh:// proxy " + sshProxy.label()
                    + " (host keys are always verified)",
                    "known_hosts lines (ssh-keyscan prints them), as a step argument or haproxy.knownHosts in the site");
        }
        SSHUserPrivateKey key = lookupSshKey(getContext().get(Run.class), target.credentialsField, target.credentialsId);
        return SshKeyCredentials.toOptions(key, target.credentialsField, target.credentialsId, target.knownHosts);
    }

    // ---- seams over Jenkins services; unit tests override them ----

    /** The configured site of that name, parsed. */
    Site configuredSite(String name) {
        return InfraStepsConfiguration.get().getSite(name);
    }

    /** Runs {@code callable} on the build's workspace, where it lives; fails when the step has no workspace. */
    <V> V actOnWorkspace(MasterToSlaveFileCallable<V> callable) throws IOException, InterruptedException {
        FilePath workspace = getContext().get(FilePath.class);
        if (workspace == null) {
            throw new AbortException("siteFile: needs a workspace: call " + step.functionName()
                    + " inside node { } (or name a configured site with site:)");
        }
        return workspace.act(callable);
    }

    /** The SSH private key credential, as the build sees it. */
    SSHUserPrivateKey lookupSshKey(Run<?, ?> run, String field, String credentialsId) throws IOException {
        return SshKeyCredentials.find(run, field, credentialsId);
    }
}
