package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Stand-in for credentials' {@code IdCredentials}. */
public interface IdCredentials extends Credentials {
    String getId();
}
