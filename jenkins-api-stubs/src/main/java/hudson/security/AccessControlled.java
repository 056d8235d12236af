package hudson.security;

/** Stand-in for {@code hudson.security.AccessControlled}. */
public interface AccessControlled {
    ACL getACL();

    default boolean hasPermission(Permission permission) {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }

    default void checkPermission(Permission permission) {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }
}
