package io.infrasteps.plugin.common;

import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validation of step arguments as they arrive from Pipeline or a form: every failure names the argument and the
 * allowed form, and never echoes a hostile value (see {@link Inputs#describe}).
 */
public final class StepArguments {

    /** Longest workspace-relative path accepted. */
    public static final int MAX_PATH = 1024;
    /** Longest known_hosts text accepted. */
    public static final int MAX_KNOWN_HOSTS = 64 * 1024;
    /** Most list entries accepted (proxies, regions). */
    public static final int MAX_LIST = 256;

    public static final String RELATIVE_PATH_FORM =
            "a workspace-relative path such as 'sites/stage.yaml': letters, digits, '.', '_', '-' and '/', no '..' segment, "
                    + "at most " + MAX_PATH + " characters";

    private StepArguments() {
    }

    /**
     * Null for null or blank (a form's empty field), else the value without leading and trailing spaces and tabs.
     * Other characters (newlines, NUL, other controls) are kept, so validation rejects them.
     */
    public static String fixEmpty(String value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return start == end ? null : value.substring(start, end);
    }

    /** An optional value that must match {@code pattern} when given. */
    public static String optional(String field, String value, Inputs.NamedPattern pattern) {
        String v = fixEmpty(value);
        return v == null ? null : Inputs.require(field, v, pattern);
    }

    /** A workspace-relative file path that cannot leave the workspace by its text (symlinks are checked on read). */
    public static String relativePath(String field, String value) {
        String v = fixEmpty(value);
        if (v == null) {
            return null;
        }
        if (v.length() > MAX_PATH) {
            throw new InvalidInputException(field, "is " + v.length() + " characters long", RELATIVE_PATH_FORM);
        }
        if (!v.matches("[A-Za-z0-9._/-]+")) {
            throw new InvalidInputException(field, "is not valid (" + Inputs.describe(v) + ")", RELATIVE_PATH_FORM);
        }
        if (v.startsWith("/")) {
            throw new InvalidInputException(field, "is an absolute path", RELATIVE_PATH_FORM);
        }
        for (String segment : v.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidInputException(field, "has an empty, '.' or '..' segment", RELATIVE_PATH_FORM);
            }
        }
        return v;
    }

    /** known_hosts text: bounded, printable ASCII lines. The entries themselves are parsed when connecting. */
    public static String knownHosts(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String form = "known_hosts lines such as '[host]:22 ecdsa-sha2-nistp256 AAAA...' (as ssh-keyscan prints them), "
                + "at most " + MAX_KNOWN_HOSTS + " characters";
        if (value.length() > MAX_KNOWN_HOSTS) {
            throw new InvalidInputException(field, "is " + value.length() + " characters long", form);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\n' && c != '\r' && c != '\t' && (c < 0x20 || c > 0x7e)) {
                throw new InvalidInputException(field, "contains " + (c < 0x20 || c == 0x7f ? String.format("control character U+%04X", (int) c)
                        : String.format("non-ASCII character U+%04X", (int) c)) + " at position " + i, form);
            }
        }
        return value;
    }

    /** An optional list whose entries each pass {@code check} (called with the indexed field name). */
    public static List<String> list(String field, List<?> values, EntryCheck check) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > MAX_LIST) {
            throw new InvalidInputException(field, "has " + values.size() + " entries", "at most " + MAX_LIST);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Object raw = values.get(i);
            String indexed = field + "[" + i + "]";
            if (!(raw instanceof CharSequence)) {
                throw new InvalidInputException(indexed, raw == null ? "is null" : "is not a string", "a list of strings");
            }
            String v = fixEmpty(raw.toString());
            if (v == null) {
                throw new InvalidInputException(indexed, "is empty", "a non-empty string");
            }
            check.check(indexed, v);
            if (!seen.add(v)) {
                throw new InvalidInputException(indexed, "repeats an earlier entry", "distinct entries");
            }
        }
        return new ArrayList<>(seen);
    }

    /** Validates one list entry; throws {@link InvalidInputException} naming {@code field}. */
    @FunctionalInterface
    public interface EntryCheck {
        void check(String field, String value);
    }

    /**
     * A safe one-line rendering of step arguments for the Pipeline graph: only the named keys, and only values
     * that are numbers, booleans or strings of the safe {@code pattern}; lists show their size; {@code siteYaml}
     * shows the site's name and how many regions it has. Secrets and free text (known_hosts, the site YAML text)
     * never appear.
     */
    public static String describe(Map<String, Object> namedArgs, Inputs.NamedPattern pattern, String... keys) {
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            Object value = namedArgs.get(key);
            String shown = null;
            if (key.equals("siteYaml") && value instanceof CharSequence) {
                shown = SiteRef.summary((CharSequence) value); // "<site YAML: stage, 2 regions>", never the text
            } else if (value instanceof Number || value instanceof Boolean) {
                shown = String.valueOf(value);
            } else if (value instanceof CharSequence && pattern.matches(value.toString())) {
                shown = value.toString();
            } else if (value instanceof List) {
                shown = ((List<?>) value).size() + " entries";
            }
            if (shown != null) {
                if (out.length() > 0) {
                    out.append(", ");
                }
                out.append(key).append(": ").append(shown);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** Names safe to show: the union of site, path, HAProxy name and state keywords. */
    public static final Inputs.NamedPattern DISPLAYABLE = new Inputs.NamedPattern("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}",
            "a short name");
}
