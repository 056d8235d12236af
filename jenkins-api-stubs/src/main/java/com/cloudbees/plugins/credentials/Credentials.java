package com.cloudbees.plugins.credentials;

import hudson.ExtensionPoint;
import java.io.Serializable;

/** Stand-in for credentials' {@code Credentials}; no member is used. */
public interface Credentials extends ExtensionPoint, Serializable {
}
