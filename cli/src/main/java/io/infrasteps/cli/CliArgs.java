package io.infrasteps.cli;

import io.infrasteps.engine.common.InvalidInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options: {@code --name value}, repeatable options and {@code --flag}s. Unknown
 * options are errors naming the option, like every other bad input.
 */
public final class CliArgs {
    private final Map<String, List<String>> options = new LinkedHashMap<>();

    public CliArgs(List<String> argv, Set<String> valued, Set<String> flags) {
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (!arg.startsWith("--")) {
                throw new InvalidInputException("argument " + (i + 1), "is not an option", "--name value options only");
            }
            String name = arg.substring(2);
            if (flags.contains(name)) {
                options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (i + 1 >= argv.size()) {
                    throw new InvalidInputException("--" + name, "needs a value", null);
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(argv.get(++i));
            } else {
                throw new InvalidInputException(safe(arg), "is not an option of this command",
                        "--" + String.join(", --", valued) + (flags.isEmpty() ? "" : ", --" + String.join(", --", flags)));
            }
        }
    }

    private static String safe(String arg) {
        return arg.matches("--[a-z-]{1,40}") ? arg : "option";
    }

    public String value(String name) {
        List<String> values = options.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidInputException("--" + name, "is given more than once", "one value");
        }
        return values.get(0);
    }

    public String required(String name, String allowed) {
        String value = value(name);
        if (value == null) {
            throw new InvalidInputException("--" + name, "is required", allowed);
        }
        return value;
    }

    public List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public int intValue(String name, int fallback, int min, int max) {
        String value = value(name);
        if (value == null) {
            return fallback;
        }
        if (!value.matches("-?[0-9]{1,9}")) {
            throw new InvalidInputException("--" + name, "is not a whole number", "an integer from " + min + " to " + max);
        }
        return io.infrasteps.engine.common.Inputs.range("--" + name, Integer.parseInt(value), min, max);
    }

    /** The text of the file an option names; unreadable is bad input naming the option. */
    public String file(String name) {
        String path = value(name);
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path));
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidInputException("--" + name, "cannot be read (" + e.getClass().getSimpleName() + ")", "a readable file");
        }
    }
}
