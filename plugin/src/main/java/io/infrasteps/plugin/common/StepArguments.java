package io.infrasteps.plugin.common;

import hudson.model.Item;
import hudson.util.FormValidation;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import jenkins.model.Jenkins;

/**
 * The arguments of a step and how each is checked: every failure names the argument and the allowed form, and never
 * echoes the value (see {@link Inputs#describe}).
 *
 * <p>Setters never check: they only record the value ({@link #given}), because Pipeline binds arguments through
 * structs' {@code DescribableModel.instantiate}, which wraps an exception thrown by a setter (or a
 * {@code @DataBoundConstructor}) in a message that prints the whole argument map, rejected value and site YAML text
 * included. Instead each step declares its arguments once, as a table of {@link Argument}s (a name, how the recorded
 * value is read, and a {@link Rule}); the step's {@code start()} checks them all, in the table's order, before
 * anything is resolved or contacted ({@link AbstractSiteStep#validateArguments()}); the execution reads the checked
 * values through the same table ({@link Argument#value}); the displayed arguments ({@link #describe}) and the form
 * checks ({@link #formCheck}) apply the same rules.
 */
public final class StepArguments {

    /** Longest workspace-relative path accepted. */
    public static final int MAX_PATH = 1024;
    /** Longest known_hosts text accepted. */
    public static final int MAX_KNOWN_HOSTS = 64 * 1024;
    /** Most list entries accepted (proxies, regions). */
    public static final int MAX_LIST = 256;
    /** How a displayed argument whose value is not valid is shown (never the value). */
    public static final String INVALID = "<invalid>";

    public static final String RELATIVE_PATH_FORM =
            "a workspace-relative path such as 'sites/stage.yaml': letters, digits, '.', '_', '-' and '/', no '..' segment, "
                    + "at most " + MAX_PATH + " characters";

    public static final String KNOWN_HOSTS_FORM =
            "known_hosts lines such as '[host]:22 ecdsa-sha2-nistp256 AAAA...' (as ssh-keyscan prints them), "
                    + "at most " + MAX_KNOWN_HOSTS + " characters";

    // ---- what setters do: record the value, never check it ----

    /**
     * What a setter records for a string: null for null or blank per {@link #fixEmpty} (a form's empty field: not
     * given, and the Snippet Generator shows nothing), otherwise the value exactly as given. Never throws.
     */
    public static String given(String value) {
        return fixEmpty(value) == null ? null : value;
    }

    /**
     * What a setter records for a list: null for null or empty, otherwise a copy of the entries as given (nulls and
     * entries of another type included, for {@code start()} to reject). Never throws.
     */
    public static <T> List<T> given(List<T> values) {
        return values == null || values.isEmpty() ? null : new ArrayList<>(values);
    }

    // ---- the checks ----

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
        if (value.length() > MAX_KNOWN_HOSTS) {
            throw new InvalidInputException(field, "is " + value.length() + " characters long", KNOWN_HOSTS_FORM);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\n' && c != '\r' && c != '\t' && (c < 0x20 || c > 0x7e)) {
                throw new InvalidInputException(field, "contains " + (c < 0x20 || c == 0x7f ? String.format("control character U+%04X", (int) c)
                        : String.format("non-ASCII character U+%04X", (int) c)) + " at position " + i, KNOWN_HOSTS_FORM);
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
     * An optional whole number from {@code min} to {@code max}. The message says whether it is too small or too large
     * and shows the range, never the number itself (the rule for every rejected value).
     */
    public static Integer integer(String field, Object value, int min, int max) {
        if (value == null) {
            return null;
        }
        String allowed = "an integer from " + min + " to " + max;
        if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
            throw new InvalidInputException(field, value instanceof Number ? "is not a whole number" : "is not a number", allowed);
        }
        long v = ((Number) value).longValue();
        if (v < min) {
            throw new InvalidInputException(field, "is too small", allowed);
        }
        if (v > max) {
            throw new InvalidInputException(field, "is too large", allowed);
        }
        return (int) v;
    }

    /** A value that must be a string (any {@link CharSequence}, such as a Groovy GString), or null. */
    static String string(String field, Object value, String allowed) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof CharSequence) {
            return value.toString();
        }
        throw new InvalidInputException(field, "is not a string", allowed);
    }

    // ---- rules: the checks above, as an argument's table entry applies them ----

    /**
     * How one argument's value is checked: returns the value to use (normalized; null when not given), or throws an
     * {@link InvalidInputException} naming {@code field} and the allowed form, never echoing the value.
     */
    @FunctionalInterface
    public interface Rule<T> {
        T check(String field, Object value);
    }

    /** An optional name of the given form ({@link #optional}). */
    public static Rule<String> name(Inputs.NamedPattern pattern) {
        return (field, value) -> optional(field, string(field, value, pattern.description()), pattern);
    }

    /** An optional string (spaces and tabs around it dropped) that {@code check} validates and may normalize. */
    public static Rule<String> text(String allowed, BiFunction<String, String, String> check) {
        return (field, value) -> {
            String v = fixEmpty(string(field, value, allowed));
            return v == null ? null : check.apply(field, v);
        };
    }

    /** An optional workspace-relative path ({@link #relativePath}). */
    public static final Rule<String> RELATIVE_PATH = (field, value) -> relativePath(field, string(field, value, RELATIVE_PATH_FORM));

    /** Optional known_hosts text ({@link #knownHosts}). */
    public static final Rule<String> KNOWN_HOSTS = (field, value) -> knownHosts(field, string(field, value, KNOWN_HOSTS_FORM));

    /** An optional list of strings, each checked by {@code check} ({@link #list}). */
    public static Rule<List<String>> list(EntryCheck check) {
        return (field, value) -> {
            if (value != null && !(value instanceof List)) {
                throw new InvalidInputException(field, "is not a list", "a list of strings");
            }
            return list(field, (List<?>) value, check);
        };
    }

    /** An optional whole number from {@code min} to {@code max} ({@link #integer(String, Object, int, int)}). */
    public static Rule<Integer> integer(int min, int max) {
        return (field, value) -> integer(field, value, min, max);
    }

    /** A boolean. */
    public static final Rule<Boolean> FLAG = (field, value) -> {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new InvalidInputException(field, "is not a boolean", "true or false");
    };

    // ---- a step's table of arguments ----

    /**
     * One argument of a step: its name, how the value its setter recorded is read, and the rule that checks it.
     *
     * @param <S> the step class declaring it
     * @param <T> the checked value's type
     */
    public static final class Argument<S, T> {
        private final String name;
        private final Class<S> stepType;
        private final Function<? super S, ?> recorded;
        private final Rule<T> rule;
        private final Function<Object, String> display;

        private Argument(String name, Class<S> stepType, Function<? super S, ?> recorded, Rule<T> rule, Function<Object, String> display) {
            this.name = name;
            this.stepType = stepType;
            this.recorded = recorded;
            this.rule = rule;
            this.display = display;
        }

        public static <S, T> Argument<S, T> of(String name, Class<S> stepType, Function<? super S, ?> recorded, Rule<T> rule) {
            return new Argument<>(name, stepType, recorded, rule, null);
        }

        /** The same argument, displayed by {@code display} (given the raw value, never null) instead of its checked value. */
        public Argument<S, T> displayedAs(Function<Object, String> display) {
            return new Argument<>(name, stepType, recorded, rule, display);
        }

        public String name() {
            return name;
        }

        /**
         * The checked value of this argument on {@code step} (null when not given). Throws an
         * {@link InvalidInputException} naming the argument when the value is not valid, which cannot happen once the
         * step's {@code start()} has validated its arguments.
         */
        public T value(S step) {
            return check(recorded.apply(step));
        }

        /** Checks a value given for this argument (from a step, a form or a displayed argument map). */
        public T check(Object value) {
            return rule.check(name, value);
        }

        void validate(Object step) {
            value(stepType.cast(step));
        }

        /** How a value is displayed: its checked form, the size of a list, {@link #INVALID}, or null when not given. */
        String show(Object value) {
            if (display != null) {
                return display.apply(value);
            }
            Object checked;
            try {
                checked = check(value);
            } catch (RuntimeException e) {
                return INVALID;
            }
            if (checked == null) {
                return null;
            }
            return checked instanceof List ? ((List<?>) checked).size() + " entries" : String.valueOf(checked);
        }
    }

    private final Map<String, Argument<?, ?>> arguments;

    private StepArguments(Map<String, Argument<?, ?>> arguments) {
        this.arguments = Collections.unmodifiableMap(arguments);
    }

    /** A table of arguments, checked in this order. */
    public static StepArguments of(Argument<?, ?>... arguments) {
        return new StepArguments(new LinkedHashMap<>()).with(arguments);
    }

    /** This table followed by {@code more} (a subclass's own arguments). */
    public StepArguments with(Argument<?, ?>... more) {
        Map<String, Argument<?, ?>> all = new LinkedHashMap<>(arguments);
        for (Argument<?, ?> a : more) {
            if (all.putIfAbsent(a.name(), a) != null) {
                throw new IllegalArgumentException("argument " + a.name() + " is declared twice");
            }
        }
        return new StepArguments(all);
    }

    /** The arguments' names, in the order they are checked. */
    public List<String> names() {
        return new ArrayList<>(arguments.keySet());
    }

    /** The argument of that name; fails for a name the table does not declare. */
    public Argument<?, ?> get(String name) {
        Argument<?, ?> a = arguments.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no argument " + name);
        }
        return a;
    }

    /**
     * Checks the value recorded for every argument of {@code step}, in the table's order, and throws an
     * {@link InvalidInputException} for the first that is not valid. Touches nothing but the values.
     */
    public void validate(Object step) {
        for (Argument<?, ?> a : arguments.values()) {
            a.validate(step);
        }
    }

    /**
     * A safe one-line rendering of step arguments for the Pipeline graph: only the named keys, each as its checked
     * value (numbers, booleans and names of a validated form; lists as their size), or {@link #INVALID} when it is not
     * valid; {@code siteYaml} shows the site's name and how many regions it has. Secrets and free text (credential
     * ids, known_hosts, the site YAML text, a rejected value) never appear.
     */
    public String describe(Map<String, ?> namedArgs, String... keys) {
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            Argument<?, ?> argument = get(key);
            Object value = namedArgs.get(key);
            String shown = value == null ? null : argument.show(value);
            if (shown != null) {
                if (out.length() > 0) {
                    out.append(", ");
                }
                out.append(key).append(": ").append(shown);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** The problem with {@code value} given for the argument {@code name}: the message start() would show, or null. */
    public String problem(String name, Object value) {
        try {
            get(name).check(value);
            return null;
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    /**
     * The form check of the field {@code name} (Snippet Generator, Declarative Directive Generator): the same rule and
     * message as when the step starts. Only users who may read the job's configuration (or administrators, outside a
     * job) get an answer.
     */
    public FormValidation formCheck(Item item, String name, String value) {
        if (!mayCheck(item)) {
            return FormValidation.ok();
        }
        String problem = problem(name, value);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /** Whether the user may have form fields of {@code item}'s steps checked (null: outside a job). */
    static boolean mayCheck(Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.EXTENDED_READ);
    }
}
