package io.infrasteps.plugin.haproxy;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.AbortException;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.SshKeyCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What Jenkins would supply to an execution, set by a test: configured sites, a workspace directory and
 * credentials. Executions made here run their real code and call these only where Jenkins services would be used.
 */
final class Seams {
    final Map<String, String> sites = new HashMap<>();
    final Map<String, IdCredentials> credentials = new HashMap<>();
    Path workspace;
    int lookups;

    Seams site(String name, String yaml) {
        sites.put(name, yaml);
        return this;
    }

    Seams credential(String id, IdCredentials c) {
        credentials.put(id, c);
        return this;
    }

    Seams workspace(Path dir) {
        workspace = dir;
        return this;
    }

    Site configuredSite(String name) {
        String yaml = sites.get(name);
        if (yaml == null) {
            throw new io.infrasteps.engine.common.InvalidInputException("site", "names no configured site '" + name + "'",
                    "one of " + sites.keySet());
        }
        return Site.parse(yaml, "site '" + name + "'");
    }

    <V> V act(MasterToSlaveFileCallable<V> callable) throws IOException, InterruptedException {
        if (workspace == null) {
            throw new AbortException("siteFile: needs a workspace");
        }
        return callable.invoke(workspace.toFile(), null);
    }

    SSHUserPrivateKey lookup(String field, String id) throws AbortException {
        lookups++;
        return SshKeyCredentials.check(credentials.get(id), field, id);
    }

    HaproxyStatusStep.Execution status(HaproxyStatusStep step, StepContext context) {
        return new StatusExecution(step, context, this);
    }

    SetHaproxyStep.Execution set(SetHaproxyStep step, StepContext context) {
        return new SetExecution(step, context, this);
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
        Site configuredSite(String name) {
            return seams.configuredSite(name);
        }

        @Override
        <V> V actOnWorkspace(MasterToSlaveFileCallable<V> callable) throws IOException, InterruptedException {
            return seams.act(callable);
        }

        @Override
        SSHUserPrivateKey lookupSshKey(hudson.model.Run<?, ?> run, String field, String id) throws AbortException {
            return seams.lookup(field, id);
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
        Site configuredSite(String name) {
            return seams.configuredSite(name);
        }

        @Override
        <V> V actOnWorkspace(MasterToSlaveFileCallable<V> callable) throws IOException, InterruptedException {
            return seams.act(callable);
        }

        @Override
        SSHUserPrivateKey lookupSshKey(hudson.model.Run<?, ?> run, String field, String id) throws AbortException {
            return seams.lookup(field, id);
        }
    }
}
