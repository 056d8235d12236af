package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Stand-in for credentials' {@code UsernameCredentials}. */
public interface UsernameCredentials extends Credentials {
    String getUsername();
}
