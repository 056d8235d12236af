package io.infrasteps.engine.site;

import com.fasterxml.jackson.databind.JsonNode;
import io.infrasteps.engine.common.InvalidInputException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A YAML mapping read strictly: every key must be consumed, so an unknown or misspelt key is
 * an error naming its path (e.g. {@code regions[2].haproxy[0].adress}) instead of being ignored.
 */
final class YamlNode {
    private final JsonNode node;
    private final String path;
    private final Set<String> consumed = new LinkedHashSet<>();

    YamlNode(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(path.isEmpty() ? "site" : path, "must be a mapping of keys to values", "a YAML mapping");
        }
        this.node = node;
        this.path = path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String string(String key, boolean required) {
        consumed.add(key);
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidInputException(path(key), "is required", null);
            }
            return null;
        }
        if (!value.isValueNode() || value.isBoolean()) {
            throw new InvalidInputException(path(key), "must be a string", "a plain string");
        }
        return value.asText();
    }

    Integer integer(String key) {
        consumed.add(key);
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw new InvalidInputException(path(key), "must be a whole number", "an integer");
        }
        return value.asInt();
    }

    boolean bool(String key, boolean defaultValue) {
        consumed.add(key);
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(path(key), "must be true or false", "true or false");
        }
        return value.booleanValue();
    }

    YamlNode mapping(String key) {
        consumed.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : new YamlNode(value, path(key));
    }

    List<YamlNode> list(String key, boolean required) {
        consumed.add(key);
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidInputException(path(key), "is required", "a YAML list");
            }
            return List.of();
        }
        if (!value.isArray()) {
            throw new InvalidInputException(path(key), "must be a list", "a YAML list");
        }
        List<YamlNode> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(new YamlNode(value.get(i), path(key) + "[" + i + "]"));
        }
        return items;
    }

    /** Fails on the first key that was never read. Call after reading every known key. */
    void rejectUnknownKeys(String knownKeys) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!consumed.contains(key)) {
                throw new InvalidInputException(path(safeKey(key)), "is not a known key", knownKeys);
            }
        }
    }

    private static String safeKey(String key) {
        return key.matches("[A-Za-z0-9_-]{1,64}") ? key : "<invalid key>";
    }
}
