package io.infrasteps.library

import com.cloudbees.groovy.cps.NonCPS

/**
 * The few keys of a site file the library needs before any step runs: the top-level {@code name},
 * {@code protected}, and {@code regions[].name} (to check a REGIONS parameter and to fan out per
 * region). A line scan of the block-style YAML the site files are written in, not a YAML parser:
 * Pipelines have none without extra plugins, and the plugin's steps parse and validate the whole
 * file strictly anyway. Anything it does not understand where those keys live (flow style, anchors,
 * tabs, a second document) is reported as a problem instead of guessed.
 *
 * The Job DSL seed does not load this class (it runs sandboxed, without src/ on its classpath);
 * JobDslSeedTest uses it to derive the lines of jobs/sites.txt that the seed reads.
 *
 * Pure and {@code @NonCPS}: no step is called.
 */
class SiteOutline implements Serializable {

    private static final long serialVersionUID = 1L

    /** Most regions a site may list. */
    static final int MAX_REGIONS = 64

    /**
     * Reads [name, regions, protected, problems] from a site file's text. {@code source} names the file
     * in messages. problems is empty when all three were found and are valid.
     */
    @NonCPS
    static Map<String, Object> parse(String yaml, String source) {
        List<String> problems = []
        Map<String, Object> out = [name: null, regions: [], protected: false, problems: problems]
        if (yaml == null || yaml.trim().isEmpty()) {
            problems.add("${source} is empty".toString())
            return out
        }
        String[] lines = yaml.split('\n', -1)
        // The top-level keys read so far (name, protected, regions) and their values.
        Map<String, String> top = [:]
        boolean sawContent = false
        List<Map> items = []
        boolean inRegions = false
        int itemIndent = -1
        int contentIndent = -1
        Map item = null
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n]
            if (raw.endsWith('\r')) {
                raw = raw.substring(0, raw.length() - 1)
            }
            String where = "${source} line ${n + 1}".toString()
            int indent = 0
            while (indent < raw.length() && raw.charAt(indent) == (char) ' ') {
                indent++
            }
            if (indent < raw.length() && raw.charAt(indent) == (char) '\t') {
                problems.add("${where}: a tab in the indentation; indent with spaces".toString())
                return out
            }
            String text = withoutComment(raw)
            if (text.trim().isEmpty()) {
                continue
            }
            if (indent == 0 && (text == '---' || text.startsWith('--- ') || text == '...')) {
                if (sawContent) {
                    problems.add("${where}: a second YAML document; a site file holds one".toString())
                    return out
                }
                continue
            }
            sawContent = true
            String body = text.substring(indent)
            boolean dash = body == '-' || body.startsWith('- ')
            if (inRegions && (indent > 0 || (dash && itemIndent <= 0))) {
                if (itemIndent < 0) {
                    if (!dash) {
                        problems.add("${where}: regions: write the regions as a block list of '- name: <region>' items".toString())
                        return out
                    }
                    itemIndent = indent
                }
                if (indent == itemIndent && dash) {
                    item = [name: null, line: n + 1]
                    items.add(item)
                    String rest = body.substring(1)
                    int restIndent = 0
                    while (restIndent < rest.length() && rest.charAt(restIndent) == (char) ' ') {
                        restIndent++
                    }
                    contentIndent = -1
                    if (restIndent < rest.length()) {
                        contentIndent = indent + 1 + restIndent
                        String problem = itemKey(item, rest.substring(restIndent), where)
                        if (problem != null) {
                            problems.add(problem)
                            return out
                        }
                    }
                } else if (indent <= itemIndent) {
                    problems.add("${where}: regions: expected a '- ' item at column ${itemIndent + 1}".toString())
                    return out
                } else {
                    if (contentIndent < 0) {
                        contentIndent = indent
                    }
                    if (indent < contentIndent) {
                        problems.add("${where}: regions: this line is indented less than the keys of its item".toString())
                        return out
                    }
                    if (indent == contentIndent) {
                        String problem = itemKey(item, body, where)
                        if (problem != null) {
                            problems.add(problem)
                            return out
                        }
                    }
                }
                continue
            }
            inRegions = false
            if (indent > 0) {
                continue
            }
            int colon = text.indexOf(':')
            if (colon <= 0 || (colon + 1 < text.length() && text.charAt(colon + 1) != (char) ' ')) {
                problems.add("${where}: expected a top-level 'key: value' line".toString())
                return out
            }
            String key = text.substring(0, colon)
            if (!key.matches('[A-Za-z][A-Za-z0-9_-]*')) {
                problems.add("${where}: expected a top-level 'key: value' line".toString())
                return out
            }
            String value = unquote(text.substring(colon + 1).trim())
            if (!['name', 'protected', 'regions'].contains(key)) {
                continue
            }
            if (top.containsKey(key)) {
                problems.add("${where}: ${key} is given twice".toString())
                return out
            }
            top.put(key, value)
            if (key == 'regions') {
                if (value.length() > 0) {
                    problems.add("${where}: regions: write the regions as a block list of '- name: <region>' items, not on the key's line".toString())
                    return out
                }
                inRegions = true
                itemIndent = -1
            }
        }
        String name = top.get('name')
        String protectedValue = top.get('protected')

        if (name == null || name.isEmpty()) {
            problems.add("${source}: name is required: ${Checks.NAME_FORM}".toString())
        } else if (!name.matches(Checks.NAME_FORM)) {
            problems.add("${source}: name must match ${Checks.NAME_FORM} (${Checks.NAME_WORDS}); got ${Checks.preview(name)}".toString())
        } else {
            out.name = name
        }

        List<String> regions = []
        if (items.isEmpty()) {
            problems.add("${source}: regions is required: a block list of '- name: <region>' items, at least one".toString())
        } else if (items.size() > MAX_REGIONS) {
            problems.add("${source}: regions lists ${items.size()} regions; at most ${MAX_REGIONS} are allowed".toString())
        } else {
            for (Map i : items) {
                String region = i.name
                String at = "${source} line ${i.line}".toString()
                if (region == null || region.isEmpty()) {
                    problems.add("${at}: regions: this region has no name: key".toString())
                    break
                }
                if (!region.matches(Checks.NAME_FORM)) {
                    problems.add("${at}: regions[].name must match ${Checks.NAME_FORM} (${Checks.NAME_WORDS}); got ${Checks.preview(region)}".toString())
                    break
                }
                if (regions.contains(region)) {
                    problems.add("${at}: regions: region ${region} is listed twice".toString())
                    break
                }
                regions.add(region)
            }
        }
        if (problems.isEmpty()) {
            out.regions = regions
        }

        if (protectedValue == null || ['', '~', 'null', 'Null', 'NULL', 'false', 'False', 'FALSE'].contains(protectedValue)) {
            out.protected = false
        } else if (['true', 'True', 'TRUE'].contains(protectedValue)) {
            out.protected = true
        } else {
            problems.add("${source}: protected must be true or false; got ${Checks.preview(protectedValue)}".toString())
            out.protected = true
        }
        return out
    }

    /** A key line of a region item: records its name: value. Returns a problem or null. */
    @NonCPS
    static String itemKey(Map item, String text, String where) {
        if (text.startsWith('name:') && (text.length() == 5 || text.charAt(5) == (char) ' ')) {
            if (item.name != null) {
                return "${where}: regions: a region has two name: keys".toString()
            }
            String value = unquote(text.substring(5).trim())
            item.name = value
            return null
        }
        if (text.startsWith('<<:') || text.startsWith('{') || text.startsWith('[') || text.startsWith('&') || text.startsWith('*')) {
            return "${where}: regions: write each region as plain 'key: value' lines (no flow style, anchors or merge keys)".toString()
        }
        return null
    }

    /** The line without its comment: a '#' at the start or after a blank, outside quotes. */
    @NonCPS
    static String withoutComment(String line) {
        boolean single = false
        boolean quoted = false
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i)
            if (c == (char) '\'' && !quoted) {
                single = !single
            } else if (c == (char) '"' && !single) {
                quoted = !quoted
            } else if (c == (char) '#' && !single && !quoted && (i == 0 || line.charAt(i - 1) == (char) ' ')) {
                return line.substring(0, i).replaceAll(' +$', '')
            }
        }
        return line.replaceAll(' +$', '')
    }

    /** A scalar without its surrounding quotes ('x' or "x"); other text as is. */
    @NonCPS
    static String unquote(String value) {
        if (value.length() >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
            return value.substring(1, value.length() - 1)
        }
        return value
    }
}
