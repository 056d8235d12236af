package io.infrasteps.engine.haproxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsers for runtime API replies. Columns are found by the names in each reply's header
 * line rather than by position, so a newer HAProxy adding columns does not break us; a reply
 * without the expected header is reported as malformed.
 */
final class RuntimeReplies {
    private RuntimeReplies() {
    }

    /** {@code show servers state}: "1" version line, "# be_id be_name ..." header, space-separated rows. */
    static List<Map<String, String>> serversState(String reply) {
        String[] lines = reply.split("\n");
        int headerAt = -1;
        for (int i = 0; i < lines.length && i < 3; i++) {
            if (lines[i].startsWith("# be_id ")) {
                headerAt = i;
                break;
            }
        }
        if (headerAt < 0) {
            throw new MalformedReplyException("show servers state", firstLine(reply));
        }
        String[] columns = lines[headerAt].substring(2).trim().split(" ");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = headerAt + 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] values = line.split(" ");
            if (values.length < Math.min(columns.length, 12)) {
                throw new MalformedReplyException("show servers state", "row with " + values.length + " columns");
            }
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < columns.length && c < values.length; c++) {
                row.put(columns[c], values[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** {@code show stat}: CSV with a "# pxname,svname,..." header. */
    static List<Map<String, String>> stat(String reply) {
        String[] lines = reply.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# pxname,svname,")) {
            throw new MalformedReplyException("show stat", firstLine(reply));
        }
        String[] columns = lines[0].substring(2).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] values = lines[i].split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.length && c < values.length; c++) {
                row.put(columns[c], values[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** {@code show map <file>}: "0x55d... key value" lines, in file order. */
    static LinkedHashMap<String, String> map(String reply, String mapPath) {
        LinkedHashMap<String, String> entries = new LinkedHashMap<>();
        for (String line : reply.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ", 3);
            if (parts.length != 3 || !parts[0].startsWith("0x")) {
                throw new MalformedReplyException("show map " + mapPath, firstLine(line));
            }
            entries.putIfAbsent(parts[1], parts[2]);
        }
        return entries;
    }

    /** {@code prepare map}: "New version created: 3". */
    static int preparedVersion(String reply, String mapPath) {
        String trimmed = reply.trim();
        String prefix = "New version created:";
        if (!trimmed.startsWith(prefix)) {
            throw new MalformedReplyException("prepare map " + mapPath, firstLine(reply));
        }
        try {
            return Integer.parseInt(trimmed.substring(prefix.length()).trim());
        } catch (NumberFormatException e) {
            throw new MalformedReplyException("prepare map " + mapPath, firstLine(reply));
        }
    }

    /** {@code get weight b/s}: "5 (initial 1)". */
    static int weight(String reply) {
        String trimmed = reply.trim();
        int space = trimmed.indexOf(' ');
        try {
            return Integer.parseInt(space < 0 ? trimmed : trimmed.substring(0, space));
        } catch (NumberFormatException e) {
            throw new MalformedReplyException("get weight", firstLine(reply));
        }
    }

    static int intOr(Map<String, String> row, String column, int fallback) {
        String value = row.get(column);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The first line of a reply, shortened and stripped of control characters, for error messages. */
    static String firstLine(String reply) {
        String line = reply == null ? "" : reply.strip().lines().findFirst().orElse("");
        line = line.replaceAll("[\\p{Cntrl}]", "?");
        if (line.isEmpty()) {
            return "(empty reply)";
        }
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /** A reply that does not have the documented shape. */
    static final class MalformedReplyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedReplyException(String command, String got) {
            super("malformed reply to '" + command + "': " + got);
        }
    }
}
