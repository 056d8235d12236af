package jenkins.model;

import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;

/** Stand-in for {@code jenkins.model.Jenkins}. */
public class Jenkins implements ItemGroup<Item>, AccessControlled {
    public static final Permission ADMINISTER = null;

    private Jenkins() {
    }

    public static Jenkins get() {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }

    /** The instance, or null while Jenkins starts or stops (and outside Jenkins). */
    public static Jenkins getInstanceOrNull() {
        return null;
    }

    /** The configured root URL ending in '/', or null when not configured. */
    public String getRootUrl() {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("stub");
    }
}
