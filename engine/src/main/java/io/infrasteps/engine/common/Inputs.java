package io.infrasteps.engine.common;

import java.util.regex.Pattern;

/**
 * Validation of every user-supplied value at the edge. Each check names the field and the
 * allowed form, and never echoes a hostile value back verbatim (it could be huge, contain
 * newlines that forge log lines, or be a secret pasted into the wrong field).
 */
public final class Inputs {
    /** Environment and region names, as Consul/Nomad datacenters {@code <env>-<region>} need them. */
    public static final NamedPattern DNS_LABEL = new NamedPattern(
            "[a-z0-9][a-z0-9-]{0,62}", "lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters");
    /** HAProxy proxy and server names: the runtime API's documented character set, nothing that splits a command. */
    public static final NamedPattern HAPROXY_NAME = new NamedPattern(
            "[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}", "letters, digits, '_', '.', ':' and '-', starting with a letter or digit, at most 128 characters");
    /** Map keys and values written through the runtime API. */
    public static final NamedPattern MAP_TOKEN = new NamedPattern(
            "(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9_.:/-]{0,254}",
            "letters, digits, '_', '.', ':', '/' and '-', starting with a letter or digit, no '..', at most 255 characters");
    /** Jenkins credential ids. */
    public static final NamedPattern CREDENTIALS_ID = new NamedPattern(
            "[A-Za-z0-9][A-Za-z0-9._-]{0,127}", "letters, digits, '.', '_' and '-', at most 128 characters");
    /** Domain names. */
    public static final NamedPattern DOMAIN = new NamedPattern(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*",
            "a lower-case DNS name such as stage.example.com");
    /** Hosts in addresses: a DNS name or an IPv4 literal. */
    public static final NamedPattern HOST = new NamedPattern(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*",
            "a DNS name or an IPv4 address");
    /** POSIX user names for SSH. */
    public static final NamedPattern USER = new NamedPattern(
            "[a-z_][a-z0-9_-]{0,31}", "a POSIX user name: lower-case letters, digits, '_' and '-', at most 32 characters");
    /** Absolute paths of sockets and map files on a proxy host. */
    public static final NamedPattern ABSOLUTE_PATH = new NamedPattern(
            "/[A-Za-z0-9._/-]{1,4095}", "an absolute path of letters, digits, '.', '_', '-' and '/', without '..' segments");
    /** Oracle Cloud identifiers, e.g. {@code ocid1.compartment.oc1..aaaa}. */
    public static final NamedPattern OCID = new NamedPattern(
            "ocid1\\.[a-z0-9]{1,40}\\.[a-z0-9-]{1,40}\\.[a-z0-9-]{0,40}\\.[a-z0-9._-]{1,255}",
            "an OCI identifier like ocid1.compartment.oc1..aaaaexample");
    /** S3 bucket names. */
    public static final NamedPattern BUCKET = new NamedPattern(
            "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name: 3 to 63 lower-case letters, digits, '.' and '-'");
    /** Relative paths of library resources and workspace files: no absolute paths, no '..' segments. */
    public static final NamedPattern RESOURCE_PATH = new NamedPattern(
            "(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9_][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9_][A-Za-z0-9._-]{0,127}){0,15}",
            "a relative path of letters, digits, '.', '_', '-' and '/', without '..' segments, e.g. nomad/web.hcl");
    /** nomad-pack names, e.g. jitsi_meet_web. */
    public static final NamedPattern PACK_NAME = new NamedPattern(
            "[a-z0-9][a-z0-9_-]{0,63}", "lower-case letters, digits, '_' and '-', at most 64 characters");

    private Inputs() {
    }

    /** Returns {@code value} when it matches {@code pattern}; otherwise throws naming {@code field}. */
    public static String require(String field, String value, NamedPattern pattern) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, "is required", pattern.description());
        }
        if (!pattern.matches(value)) {
            throw new InvalidInputException(field, "is not valid (" + describe(value) + ")", pattern.description());
        }
        return value;
    }

    /** Like {@link #require} for paths, also refusing {@code ..} and {@code .} segments and '//' runs. */
    public static String absolutePath(String field, String value) {
        require(field, value, ABSOLUTE_PATH);
        for (String segment : value.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidInputException(field, "has an empty, '.' or '..' segment", ABSOLUTE_PATH.description());
            }
        }
        return value;
    }

    /** Integer range check naming the field. */
    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(field, "is " + value, "an integer from " + min + " to " + max);
        }
        return value;
    }

    /**
     * A short, safe description of a rejected value: its length and the first offending
     * character as a code point, never the value itself.
     */
    public static String describe(String value) {
        if (value.length() > 256) {
            return value.length() + " characters";
        }
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            boolean plain = cp >= 0x21 && cp < 0x7f && Character.isLetterOrDigit(cp) || "-_.:/".indexOf(cp) >= 0;
            if (!plain) {
                return "contains " + codePointName(cp) + " at position " + i;
            }
            i += Character.charCount(cp);
        }
        return value.length() + " characters, wrong form";
    }

    private static String codePointName(int cp) {
        switch (cp) {
            case ' ': return "a space";
            case '\n': return "a newline";
            case '\r': return "a carriage return";
            case '\t': return "a tab";
            case ';': return "';'";
            default:
                return cp < 0x7f && cp >= 0x21 ? "'" + (char) cp + "'" : String.format("U+%04X", cp);
        }
    }

    /** A regular expression with the human description used in error messages. */
    public static final class NamedPattern {
        private final Pattern pattern;
        private final String description;

        public NamedPattern(String regex, String description) {
            this.pattern = Pattern.compile(regex);
            this.description = description;
        }

        public boolean matches(String value) {
            return value != null && pattern.matcher(value).matches();
        }

        public String description() {
            return description;
        }
    }
}
