package io.infrasteps.plugin.common;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import io.infrasteps.engine.site.Site;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * What a step execution asks of Jenkins, in one place: configured sites, the workspace, credentials (looked up as
 * the build sees them and recorded on it) and the build's identity. {@link JenkinsStepServices} is the real one;
 * unit tests supply their own, so the executions' own code runs unchanged without Jenkins.
 */
public interface StepServices {

    /** The configured site of that name, parsed; fails naming the {@code site} parameter. */
    Site configuredSite(String name);

    /**
     * Runs {@code callable} on the build's workspace; used only for a {@code siteFile}, so that {@code site} and
     * {@code siteYaml} work outside {@code node { }}. Fails naming {@code siteFile} when there is no workspace.
     */
    <V> V actOnWorkspace(MasterToSlaveFileCallable<V> callable) throws IOException, InterruptedException;

    /** The "SSH Username with private key" credential; errors name {@code field}, the id and the expected type. */
    SSHUserPrivateKey sshKey(String field, String credentialsId) throws IOException, InterruptedException;

    /** The "Secret text" credential; errors name {@code field}, the id and the expected type. */
    StringCredentials secretText(String field, String credentialsId) throws IOException, InterruptedException;

    /** The build number, as recorded in {@code shard-test/<env>/<shard>}. */
    String buildNumber() throws IOException, InterruptedException;

    /** Who holds an environment lock taken by this build, as others see it when the lock is busy. */
    String lockHolder() throws IOException, InterruptedException;
}
