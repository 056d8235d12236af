package io.infrasteps.engine.consul;

import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;

import java.util.regex.Pattern;

/** The allowed forms of values that reach a Consul URL: KV keys, datacenters, services, session ids. */
public final class ConsulPaths {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    public static final String KEY_FORM = "'/'-separated segments of letters, digits, '_', '.' and '-' (no empty, '.' or '..' segments), at most 512 characters";
    public static final Inputs.NamedPattern DATACENTER = Inputs.HAPROXY_NAME;
    public static final Inputs.NamedPattern SESSION_ID = new Inputs.NamedPattern(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "a Consul session id (UUID)");

    private ConsulPaths() {
    }

    /** A KV key: no trailing '/'. */
    public static String key(String field, String key) {
        if (key != null && key.endsWith("/")) {
            throw new InvalidInputException(field, "ends with '/'", KEY_FORM);
        }
        return prefix(field, key);
    }

    /** A KV prefix for recursive reads; may end with '/'. */
    public static String prefix(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidInputException(field, "is required", KEY_FORM);
        }
        if (key.length() > 512) {
            throw new InvalidInputException(field, "is " + key.length() + " characters long", KEY_FORM);
        }
        String body = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        for (String segment : body.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidInputException(field, "is not a valid key (" + Inputs.describe(key) + ")", KEY_FORM);
            }
        }
        return key;
    }

    public static String datacenter(String field, String datacenter) {
        return Inputs.require(field, datacenter, DATACENTER);
    }
}
