package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Stand-in for credentials' {@code CredentialsMatcher}; no member is used. */
public interface CredentialsMatcher extends Serializable {
}
