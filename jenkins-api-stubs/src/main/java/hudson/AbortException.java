package hudson;

import java.io.IOException;

/** Stand-in for {@code hudson.AbortException}: a failure Jenkins reports by its message alone, without a stack trace. */
public class AbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public AbortException(String message) {
        super(message);
    }
}
