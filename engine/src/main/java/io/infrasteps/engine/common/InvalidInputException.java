package io.infrasteps.engine.common;

/**
 * Bad input rejected at the edge, before anything touches a socket, file or process.
 * The message always names the field and the allowed form so a person can fix it.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String allowed;

    public InvalidInputException(String field, String problem, String allowed) {
        super(field + ": " + problem + (allowed == null || allowed.isEmpty() ? "" : "; allowed: " + allowed));
        this.field = field;
        this.allowed = allowed;
    }

    /** The parameter or configuration path at fault, e.g. {@code regions[2].haproxy[0].address}. */
    public String field() {
        return field;
    }

    /** The allowed form, as shown to the user. */
    public String allowed() {
        return allowed;
    }
}
