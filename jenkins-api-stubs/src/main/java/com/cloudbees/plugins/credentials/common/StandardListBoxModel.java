package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials' {@code StandardListBoxModel}. */
public class StandardListBoxModel extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {
    public StandardListBoxModel() {
    }
}
