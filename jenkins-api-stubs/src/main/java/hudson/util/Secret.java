package hudson.util;

import java.io.Serializable;

/**
 * Stand-in for {@code hudson.util.Secret}. Outside Jenkins it keeps the plain text as given (the real class
 * encrypts with the controller's key), so that tests can build credentials; the stand-in never ships.
 */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient String plain;

    private Secret(String plain) {
        this.plain = plain;
    }

    /** Real: decrypts an encrypted value or wraps plain text. */
    public static Secret fromString(String data) {
        return new Secret(data == null ? "" : data);
    }

    /** The plain text, or the empty string for null. */
    public static String toString(Secret s) {
        return s == null || s.plain == null ? "" : s.plain;
    }
}
