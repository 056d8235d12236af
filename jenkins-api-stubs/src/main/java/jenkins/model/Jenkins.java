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

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("stub");
    }
}
