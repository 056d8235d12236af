package io.infrasteps.plugin.haproxy;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.AbortException;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.ConsulTokenCredentials;
import io.infrasteps.plugin.common.SshKeyCredentials;
import io.infrasteps.plugin.common.StepServices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What Jenkins would supply to an execution, set by a test: configured sites, a workspace directory, credentials
 * and the build's identity. Executions made with these seams run their real code and call these only where Jenkins
 * services would be used. Records which credentials were looked up.
 */
public final class Seams implements StepServices {
    final Map<String, String> sites = new ConcurrentHashMap<>();
    final Map<String, IdCredentials> credentials = new ConcurrentHashMap<>();
    Path workspace;
    volatile int lookups;
    volatile int workspaceUses;
    volatile int siteLookups;
    final List<String> secretLookups = new ArrayList<>();
    volatile String buildNumber = "17";
    volatile String holder = "build sandbox-job #17 (http://jenkins.test/job/sandbox-job/17/)";

    public Seams site(String name, String yaml) {
        sites.put(name, yaml);
        return this;
    }

    public Seams credential(String id, IdCredentials c) {
        credentials.put(id, c);
        return this;
    }

    public Seams workspace(Path dir) {
        workspace = dir;
        return this;
    }

    public Seams build(String number, String lockHolder) {
        buildNumber = number;
        holder = lockHolder;
        return this;
    }

    public int lookups() {
        return lookups;
    }

    /** How often an execution asked for the build's workspace (only a siteFile may). */
    public int workspaceUses() {
        return workspaceUses;
    }

    /** How often an execution looked a configured site up. */
    public int siteLookups() {
        return siteLookups;
    }

    /** Ids of the secret text credentials looked up, in order. */
    public synchronized List<String> secretLookups() {
        return new ArrayList<>(secretLookups);
    }

    @Override
    public Site configuredSite(String name) {
        siteLookups++;
        String yaml = sites.get(name);
        if (yaml == null) {
            throw new InvalidInputException("site", "names no configured site '" + name + "'", "one of " + sites.keySet());
        }
        return Site.parse(yaml, "site '" + name + "'");
    }

    @Override
    public <V> V actOnWorkspace(MasterToSlaveFileCallable<V> callable) throws IOException, InterruptedException {
        workspaceUses++;
        if (workspace == null) {
            throw new AbortException("siteFile: needs a workspace");
        }
        return callable.invoke(workspace.toFile(), null);
    }

    @Override
    public SSHUserPrivateKey sshKey(String field, String id) throws AbortException {
        lookups++;
        return SshKeyCredentials.check(credentials.get(id), field, id);
    }

    @Override
    public StringCredentials secretText(String field, String id) throws AbortException {
        synchronized (this) {
            secretLookups.add(id);
        }
        return ConsulTokenCredentials.check(credentials.get(id), field, id);
    }

    @Override
    public String buildNumber() {
        return buildNumber;
    }

    @Override
    public String lockHolder() {
        return holder;
    }

    public HaproxyStatusStep.Execution status(HaproxyStatusStep step, StepContext context) {
        return new StatusExecution(step, context, this);
    }

    public SetHaproxyStep.Execution set(SetHaproxyStep step, StepContext context) {
        return new SetExecution(step, context, this);
    }

    /** Runs setHaproxy as Jenkins would: the argument checks of start(), then the execution's body. */
    public HaproxyChangeResult runSet(SetHaproxyStep step, StepContext context) throws Exception {
        step.start(context);
        return set(step, context).run();
    }

    /** Runs haproxyStatus as Jenkins would: the argument checks of start(), then the execution's body. */
    public HaproxyStatusResult runStatus(HaproxyStatusStep step, StepContext context) throws Exception {
        step.start(context);
        return status(step, context).run();
    }

    /** The real execution with Jenkins services replaced; serializable like the real one (seams are transient). */
    static final class StatusExecution extends HaproxyStatusStep.Execution {
        private static final long serialVersionUID = 1L;
        private final transient Seams seams;

        StatusExecution(HaproxyStatusStep step, StepContext context, Seams seams) {
            super(step, context);
            this.seams = seams;
        }

        @Override
        StepServices services() {
            return seams;
        }
    }

    static final class SetExecution extends SetHaproxyStep.Execution {
        private static final long serialVersionUID = 1L;
        private final transient Seams seams;

        SetExecution(SetHaproxyStep step, StepContext context, Seams seams) {
            super(step, context);
            this.seams = seams;
        }

        @Override
        StepServices services() {
            return seams;
        }
    }
}
