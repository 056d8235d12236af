package hudson.security;

/** Stand-in for {@code hudson.security.Permission}. */
public final class Permission {
    private Permission() {
    }
}
