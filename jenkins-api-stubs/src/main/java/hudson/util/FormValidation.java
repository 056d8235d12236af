package hudson.util;

import java.io.IOException;

/** Stand-in for {@code hudson.util.FormValidation}. */
public abstract class FormValidation extends IOException {
    private static final long serialVersionUID = 1L;

    private FormValidation() {
    }

    public static FormValidation ok() {
        throw new UnsupportedOperationException("stub");
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("stub");
    }
}
