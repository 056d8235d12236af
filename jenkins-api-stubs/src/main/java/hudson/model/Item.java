package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

/** Stand-in for {@code hudson.model.Item}. Constants carry no compile-time value, so javac never inlines them. */
public interface Item extends AccessControlled {
    Permission EXTENDED_READ = null;
}
