package io.infrasteps.plugin.common;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.config.InfraStepsConfiguration;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** {@link StepServices} from a running build's step context. Holds nothing secret; never serialized. */
public final class JenkinsStepServices implements StepServices {

    /** Longest lock holder text written to Consul (display names are user-controlled). */
    static final int MAX_HOLDER = 300;

    private final StepContext context;
    private final String functionName;

    public JenkinsStepServices(StepContext context, String functionName) {
        this.context = context;
        this.functionName = functionName;
    }

    @Override
    public Site configuredSite(String name) {
        return InfraStepsConfiguration.get().getSite(name);
    }

    @Override
    public <V> V actOnWorkspace(MasterToSlaveFileCallable<V> callable) throws IOException, InterruptedException {
        FilePath workspace = context.get(FilePath.class);
        if (workspace == null) {
            throw new AbortException("siteFile: needs a workspace: call " + functionName
                    + " inside node { }, or give the site as site: (a configured site) or siteYaml: (its text), which need none");
        }
        return workspace.act(callable);
    }

    @Override
    public SSHUserPrivateKey sshKey(String field, String credentialsId) throws IOException, InterruptedException {
        return SshKeyCredentials.find(run(), field, credentialsId);
    }

    @Override
    public StringCredentials secretText(String field, String credentialsId) throws IOException, InterruptedException {
        return ConsulTokenCredentials.find(run(), field, credentialsId);
    }

    @Override
    public String buildNumber() throws IOException, InterruptedException {
        return String.valueOf(run().getNumber());
    }

    @Override
    public String lockHolder() throws IOException, InterruptedException {
        Run<?, ?> run = run();
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        String root = jenkins == null ? null : jenkins.getRootUrl();
        return holderText(run.getFullDisplayName(), (root == null ? "" : root) + run.getUrl());
    }

    /** "folder » job #12 (https://jenkins.example.com/job/folder/job/job/12/)", one printable line, bounded. */
    static String holderText(String displayName, String url) {
        String text = "build " + displayName + " (" + url + ")";
        text = text.replaceAll("\\p{Cntrl}", "?");
        return text.length() > MAX_HOLDER ? text.substring(0, MAX_HOLDER) + "..." : text;
    }

    private Run<?, ?> run() throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        if (run == null) {
            throw new AbortException(functionName + ": runs only inside a Pipeline build");
        }
        return run;
    }
}
