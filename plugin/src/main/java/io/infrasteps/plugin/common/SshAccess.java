package io.infrasteps.plugin.common;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.RuntimeApiAddress;
import io.infrasteps.engine.haproxy.SshOptions;
import java.io.IOException;
import java.util.List;

/**
 * SSH options for the proxies a step reaches, resolved only when an {@code ssh://} proxy needs them, and only
 * after the credential id and known_hosts are known to be present (so a step that cannot run reads no secret).
 * The caller wipes the returned options.
 */
public final class SshAccess {

    private SshAccess() {
    }

    /**
     * @param credentialsField how the credential id was given, for errors ("credentialsId", or
     *                         "credentials.ssh of site 'x'")
     * @return the options, or null when no proxy is reached over SSH
     */
    public static SshOptions optionsFor(List<ProxyEndpoint> proxies, String credentialsId, String credentialsField, String knownHosts,
            StepServices services) throws IOException, InterruptedException {
        ProxyEndpoint sshProxy = proxies.stream().filter(p -> p.address().kind() == RuntimeApiAddress.Kind.SSH).findFirst().orElse(null);
        if (sshProxy == null) {
            return null;
        }
        if (credentialsId == null) {
            throw new InvalidInputException("credentialsId", "is required for ssh:// proxy " + sshProxy.label(),
                    "the id of " + SshKeyCredentials.EXPECTED + ", as a step argument or credentials.ssh in the site");
        }
        if (knownHosts == null) {
            throw new InvalidInputException("knownHosts", "is required for ssh:// proxy " + sshProxy.label()
                    + " (host keys are always verified)",
                    "known_hosts lines (ssh-keyscan prints them), as a step argument or haproxy.knownHosts in the site");
        }
        SSHUserPrivateKey key = services.sshKey(credentialsField, credentialsId);
        return SshKeyCredentials.toOptions(key, credentialsField, credentialsId, knownHosts);
    }
}
