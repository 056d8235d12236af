package com.cloudbees.jenkins.plugins.sshcredentials;

import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;

/** Stand-in for ssh-credentials' {@code SSHUser}. */
public interface SSHUser extends StandardUsernameCredentials {
}
