package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials' {@code StandardUsernameCredentials}. */
public interface StandardUsernameCredentials extends StandardCredentials, UsernameCredentials {
}
