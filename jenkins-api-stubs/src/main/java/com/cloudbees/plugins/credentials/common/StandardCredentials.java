package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials' {@code StandardCredentials}; no member is used. */
public interface StandardCredentials extends IdCredentials {
}
