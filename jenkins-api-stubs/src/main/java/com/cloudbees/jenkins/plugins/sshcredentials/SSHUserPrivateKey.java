package com.cloudbees.jenkins.plugins.sshcredentials;

import hudson.util.Secret;
import java.util.List;

/** Stand-in for ssh-credentials' {@code SSHUserPrivateKey}: "SSH Username with private key". */
public interface SSHUserPrivateKey extends SSHUser {
    List<String> getPrivateKeys();

    Secret getPassphrase();
}
