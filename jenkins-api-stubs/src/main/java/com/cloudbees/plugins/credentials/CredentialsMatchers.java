package com.cloudbees.plugins.credentials;

/** Stand-in for credentials' {@code CredentialsMatchers}. */
public class CredentialsMatchers {
    private CredentialsMatchers() {
    }

    public static CredentialsMatcher always() {
        throw new UnsupportedOperationException("stub");
    }
}
