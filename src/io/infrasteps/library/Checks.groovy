package io.infrasteps.library

import com.cloudbees.groovy.cps.NonCPS

/**
 * Input checks shared by the library's global variables (vars/).
 *
 * Every method is pure and {@code @NonCPS}: no step is called, so nothing here is ever held in
 * the saved program state. Checks return messages instead of throwing; the calling var turns
 * them into a failed build with the {@code error} step. Each message names the parameter, the
 * allowed form and the received value, escaped (control and non-ASCII characters as \\uXXXX)
 * and shortened, so a hostile value can neither flood nor forge log lines.
 *
 * Only String, List and Map methods that the Pipeline sandbox allows are used.
 */
class Checks implements Serializable {

    private static final long serialVersionUID = 1L

    /** Environment, site and region names: what the plugin accepts for a site name. */
    static final String NAME_FORM = '[a-z0-9][a-z0-9-]{0,62}'
    static final String NAME_WORDS =
            "lower-case ASCII letters, digits and '-', starting with a letter or digit, 1 to 63 characters"

    /** Shard names, e.g. stage-example-us-ashburn-1-s2. */
    static final String SHARD_FORM = '[a-z0-9][a-z0-9-]{0,127}'
    static final String SHARD_WORDS =
            "lower-case ASCII letters, digits and '-', starting with a letter or digit, 1 to 128 characters"

    /** Workspace-relative paths of site files. */
    static final String PATH_FORM = '[A-Za-z0-9._/-]{1,255}'
    static final String PATH_WORDS =
            "a relative workspace path of ASCII letters, digits, '.', '_', '-' and '/', at most 255 characters, " +
            "ending in .yaml or .yml, without '..' segments"

    /** Separators accepted in shard list parameters: spaces, tabs and commas (not newlines). */
    static final String LIST_SEPARATORS = '[ \t,]+'

    /** Most shards one request may name in one list. */
    static final int MAX_SHARDS = 256

    /** Release numbers: positive whole numbers, written without sign, spaces or leading zeros. */
    static final String NUMBER_FORM = '[1-9][0-9]{0,8}'
    static final String NUMBER_WORDS = 'ASCII digits only, no sign, spaces or leading zeros'
    static final int MAX_RELEASE = 999999999

    /** Minutes waitHealthyShards may wait for a release's shards: default and most. */
    static final int DEFAULT_WAIT_MINUTES = 20
    static final int MAX_WAIT_MINUTES = 240

    /** Characters of a received value quoted in a message. */
    static final int PREVIEW_CHARS = 48

    /** Keys a site reference (what infraSite returns) may carry into a step call. */
    static final List<String> SITE_KEYS = ['site', 'siteFile', 'siteYaml', 'proxies', 'regions', 'credentialsId', 'knownHosts']

    /** The keys of a site reference that say where the site is; a reference has exactly one. */
    static final List<String> SITE_SOURCES = ['site', 'siteFile', 'siteYaml', 'proxies']

    /**
     * The value quoted for a message: null as "nothing", otherwise single-quoted with quotes,
     * backslashes, control and non-ASCII characters escaped, cut after {@link #PREVIEW_CHARS}.
     */
    @NonCPS
    static String preview(Object value) {
        if (value == null) {
            return 'nothing'
        }
        String s = value.toString()
        int shown = Math.min(s.length(), PREVIEW_CHARS)
        StringBuilder b = new StringBuilder("'")
        for (int i = 0; i < shown; i++) {
            int c = (int) s.charAt(i)
            if (c == 10) {
                b.append('\\n')
            } else if (c == 13) {
                b.append('\\r')
            } else if (c == 9) {
                b.append('\\t')
            } else if (c == 39 || c == 92) {
                b.append('\\').append((char) c)
            } else if (c < 32 || c > 126) {
                b.append('\\u').append(Integer.toHexString(c | 0x10000).substring(1))
            } else {
                b.append((char) c)
            }
        }
        b.append("'")
        if (s.length() > shown) {
            b.append(" (").append(s.length()).append(" characters, first ").append(shown).append(" shown)")
        }
        return b.toString()
    }

    /** Most characters of a remote error message kept in a summary. */
    static final int ONE_LINE_CHARS = 300

    /** One line, at most {@link #ONE_LINE_CHARS} characters, for remote error messages in summaries. */
    @NonCPS
    static String oneLine(Object text) {
        int max = ONE_LINE_CHARS
        String s = text == null ? '' : text.toString()
        StringBuilder b = new StringBuilder()
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            int c = (int) s.charAt(i)
            b.append(c < 32 || c == 127 ? ' ' : (char) c)
        }
        String out = b.toString().trim()
        return s.length() > max ? out + '...' : out
    }

    /** Problem with a required name (environment, site, region), or null when it is fine. */
    @NonCPS
    static String nameProblem(String parameter, Object value) {
        return formProblem(parameter, value, 'a name', NAME_FORM, NAME_WORDS)
    }

    @NonCPS
    static String formProblem(String parameter, Object value, String what, String form, String words) {
        if (value == null || (value instanceof CharSequence && value.toString().length() == 0)) {
            return "${parameter} is required: ${what} matching ${form} (${words})".toString()
        }
        if (!(value instanceof CharSequence)) {
            return "${parameter} must be ${what} matching ${form}; got a value of type ${value.getClass().getSimpleName()}".toString()
        }
        if (!value.toString().matches(form)) {
            return "${parameter} must be ${what} matching ${form} (${words}); got ${preview(value)}".toString()
        }
        return null
    }

    /** Splits a shard list parameter on spaces, tabs and commas; a List is taken element by element. */
    @NonCPS
    static List<Object> splitList(Object value) {
        List<Object> out = []
        if (value == null) {
            return out
        }
        if (value instanceof Collection) {
            for (Object o : (Collection) value) {
                out.add(o)
            }
            return out
        }
        for (String token : value.toString().split(LIST_SEPARATORS)) {
            if (token.length() > 0) {
                out.add(token)
            }
        }
        return out
    }

    /**
     * Validates a shard request. {@code labels} maps environment/ready/drain/force to the names the
     * caller knows them by (job parameters or argument names); {@code values} holds the raw values.
     * Returns [environment, ready, drain, force, problems]: problems is empty when all is well.
     */
    @NonCPS
    static Map<String, Object> shardRequest(Map labels, Map values) {
        List<String> problems = []
        String readyLabel = labels.ready
        String drainLabel = labels.drain
        String environment = checkedName((String) labels.environment, values.environment, problems)
        List<String> ready = shardList(readyLabel, values.ready, environment, (String) labels.environment, problems)
        List<String> drain = shardList(drainLabel, values.drain, environment, (String) labels.environment, problems)

        if (problems.isEmpty()) {
            if (ready.isEmpty() && drain.isEmpty()) {
                problems.add("${readyLabel} and ${drainLabel} are both empty: name at least one shard, e.g. ${environment}-us-ashburn-1-s2".toString())
            }
            List<String> both = []
            for (String s : ready) {
                if (drain.contains(s)) {
                    both.add(s)
                }
            }
            if (!both.isEmpty()) {
                problems.add("${readyLabel} and ${drainLabel} both name ${both.join(', ')}: a shard is either made ready or drained".toString())
            }
        }
        boolean force = checkedFlag((String) labels.force, values.force, problems)
        return [environment: environment, ready: ready, drain: drain, force: force, problems: problems]
    }

    /**
     * Checks a shard list (a List, or names separated by spaces or commas): each name matches
     * {@link #SHARD_FORM} and, when {@code environment} is known, starts with {@code environment-}.
     * Adds the first problem to {@code problems}; returns the names, in order, without repeats.
     */
    @NonCPS
    static List<String> shardList(String label, Object value, String environment, String envLabel,
                                  List<String> problems) {
        List<String> shards = []
        if (value != null && !(value instanceof CharSequence) && !(value instanceof Collection)) {
            problems.add("${label} must be shard names separated by spaces or commas; got a value of type ${value.getClass().getSimpleName()}".toString())
            return shards
        }
        List<Object> tokens = splitList(value)
        if (tokens.size() > MAX_SHARDS) {
            problems.add("${label} names ${tokens.size()} shards; at most ${MAX_SHARDS} are allowed in one build".toString())
            return shards
        }
        for (Object token : tokens) {
            String p = formProblem(label, token, 'shard names separated by spaces or commas, each', SHARD_FORM, SHARD_WORDS)
            if (p != null) {
                problems.add(p)
                return shards
            }
            String shard = token.toString()
            if (environment != null) {
                String prefix = environment + '-'
                if (!shard.startsWith(prefix) || shard.length() == prefix.length()) {
                    problems.add("${label}: shard ${preview(shard)} does not belong to ${envLabel} ${environment}: shard names start with '${prefix}'".toString())
                    return shards
                }
            }
            if (!shards.contains(shard)) {
                shards.add(shard)
            }
        }
        return shards
    }

    /** Problem with a boolean flag (true/false, as a boolean or its text; absent or empty means false), or null. */
    @NonCPS
    static String flagProblem(String parameter, Object value) {
        if (value == null || value == false || value == 'false' || value == '' || value == true || value == 'true') {
            return null
        }
        return "${parameter} must be true or false; got ${preview(value)}".toString()
    }

    /** The value of a flag that passed {@link #flagProblem}. */
    @NonCPS
    static boolean flag(Object value) {
        return value == true || value == 'true'
    }

    /**
     * Problem with a whole number from {@code min} to {@code max}, or null. Accepts an Integer or Long,
     * or text of ASCII digits without sign, spaces or leading zeros ({@link #NUMBER_FORM}); an empty or
     * absent value is reported as required (callers treat optional numbers before calling this).
     */
    @NonCPS
    static String numberProblem(String parameter, Object value, String what, int min, int max) {
        String allowed = "${what}: a whole number from ${min} to ${max} (${NUMBER_WORDS})".toString()
        if (value == null || (value instanceof CharSequence && value.toString().length() == 0)) {
            return "${parameter} is required: ${allowed}".toString()
        }
        long n
        if (value instanceof Integer || value instanceof Long) {
            n = ((Number) value).longValue()
        } else if (value instanceof CharSequence) {
            // 0 is written '0' where it is allowed; otherwise no leading zeros.
            if (!value.toString().matches(min == 0 ? '0|' + NUMBER_FORM : NUMBER_FORM)) {
                return "${parameter} must be ${allowed}; got ${preview(value)}".toString()
            }
            n = Long.parseLong(value.toString())
        } else {
            return "${parameter} must be ${allowed}; got a value of type ${value.getClass().getSimpleName()}".toString()
        }
        if (n < min || n > max) {
            return "${parameter} must be ${allowed}; got ${n}".toString()
        }
        return null
    }

    /** The value of a number that passed {@link #numberProblem}. */
    @NonCPS
    static int number(Object value) {
        return value instanceof Number ? ((Number) value).intValue() : Integer.parseInt(value.toString())
    }

    /** A required name (see {@link #nameProblem}); null after adding its problem to {@code problems}. */
    @NonCPS
    static String checkedName(String label, Object value, List<String> problems) {
        String p = nameProblem(label, value)
        if (p != null) {
            problems.add(p)
            return null
        }
        return value.toString()
    }

    /** An optional flag (see {@link #flagProblem}); false after adding its problem to {@code problems}. */
    @NonCPS
    static boolean checkedFlag(String label, Object value, List<String> problems) {
        String p = flagProblem(label, value)
        if (p != null) {
            problems.add(p)
            return false
        }
        return flag(value)
    }

    /** A required whole number (see {@link #numberProblem}); null after adding its problem to {@code problems}. */
    @NonCPS
    static Integer requiredNumber(String label, Object value, String what, int min, int max, List<String> problems) {
        String p = numberProblem(label, value, what, min, max)
        if (p != null) {
            problems.add(p)
            return null
        }
        return Integer.valueOf(number(value))
    }

    /** An optional whole number: null when {@link #absent}, otherwise as {@link #requiredNumber}. */
    @NonCPS
    static Integer optionalNumber(String label, Object value, String what, int min, int max, List<String> problems) {
        return absent(value) ? null : requiredNumber(label, value, what, min, max, problems)
    }

    /** True for an absent optional value: null, or empty text (blanks are not absent: they are rejected). */
    @NonCPS
    static boolean absent(Object value) {
        return value == null || (value instanceof CharSequence && value.toString().length() == 0)
    }

    /**
     * Validates a shard validation request: environment, shards (names separated by spaces or commas)
     * or release (a release number whose shards are all validated, after waiting for them to be
     * healthy), waitMinutes (optional, used with release). {@code labels} maps these keys to the
     * names the caller knows them by. Returns [environment, shards, release (Integer or null),
     * waitMinutes, problems]: problems is empty when all is well.
     */
    @NonCPS
    static Map<String, Object> validationRequest(Map labels, Map values) {
        List<String> problems = []
        String shardsLabel = labels.shards
        String releaseLabel = labels.release
        String environment = checkedName((String) labels.environment, values.environment, problems)
        List<String> shards = shardList(shardsLabel, values.shards, environment, (String) labels.environment, problems)
        Integer release = optionalNumber(releaseLabel, values.release, 'a release number', 1, MAX_RELEASE, problems)
        Integer wait = optionalNumber((String) labels.waitMinutes, values.waitMinutes, 'minutes to wait for healthy shards', 1,
                MAX_WAIT_MINUTES, problems)

        if (problems.isEmpty()) {
            if (shards.isEmpty() && release == null) {
                problems.add("${shardsLabel} and ${releaseLabel} are both empty: name shards to validate (e.g. ${environment}-us-ashburn-1-s2), or give ${releaseLabel} to validate every shard of that release".toString())
            } else if (!shards.isEmpty() && release != null) {
                problems.add("${shardsLabel} and ${releaseLabel} are both given: name shards to validate, or give ${releaseLabel} to validate every shard of that release, not both".toString())
            }
        }
        return [environment: environment, shards: shards, release: release,
                waitMinutes: wait == null ? DEFAULT_WAIT_MINUTES : wait.intValue(), problems: problems]
    }

    /**
     * Validates a release GA request: environment, release (required), force (optional flag).
     * Returns [environment, release (Integer or null), force, problems].
     */
    @NonCPS
    static Map<String, Object> gaRequest(Map labels, Map values) {
        List<String> problems = []
        String environment = checkedName((String) labels.environment, values.environment, problems)
        Integer release = requiredNumber((String) labels.release, values.release, 'a release number', 1, MAX_RELEASE, problems)
        boolean force = checkedFlag((String) labels.force, values.force, problems)
        return [environment: environment, release: release, force: force, problems: problems]
    }

    /**
     * Problem with the named arguments of a library call {@code where} (e.g. shardStates.apply), or null:
     * an argument not in {@code allowed}; a site reference that is not one (see {@link #siteProblem}), or,
     * with {@code consul}, not fit for steps that talk to Consul (see {@link #consulSiteProblem}); a
     * siteYaml that describes another environment than a valid {@code environment} argument.
     */
    @NonCPS
    static String argumentsProblem(String where, Map options, List<String> allowed, boolean consul, boolean wholeSite) {
        String unknown = unknownKeys(where, options, allowed)
        if (unknown != null) {
            return unknown
        }
        String parameter = "${where}: site".toString()
        String p = consul ? consulSiteProblem(parameter, options.site, wholeSite) : siteProblem(parameter, options.site)
        if (p == null && nameProblem('environment', options.environment) == null) {
            p = siteNameProblem(parameter, (Map) options.site, options.environment.toString())
        }
        return p
    }

    /**
     * Problem with a site reference for steps that talk to Consul (validateShard, waitHealthyShards,
     * setHaproxy liveRelease): a site, siteFile or siteYaml, not bare proxies; with {@code wholeSite},
     * not restricted to some regions either. Null when it is fine.
     */
    @NonCPS
    static String consulSiteProblem(String parameter, Object site, boolean wholeSite) {
        String p = siteProblem(parameter, site)
        if (p != null) {
            return p
        }
        Map m = (Map) site
        if (m.containsKey('proxies')) {
            return "${parameter} must name a site (infraSite('<name>'), file: or configured:), not bare proxies: this needs the site's Consul datacenters".toString()
        }
        if (wholeSite && m.containsKey('regions')) {
            Object regions = m.regions instanceof Collection ? ((Collection) m.regions).join(', ') : m.regions
            return "${parameter} must not restrict regions (got regions ${preview(regions)}): a release is made GA in every region of the site at once".toString()
        }
        return null
    }

    /**
     * Problems with a site reference as returned by infraSite (a Map of step arguments): only
     * {@link #SITE_KEYS}, exactly one of {@link #SITE_SOURCES}, a siteYaml that is non-blank text.
     * Never quotes the siteYaml text.
     */
    @NonCPS
    static String siteProblem(String parameter, Object site) {
        if (!(site instanceof Map)) {
            return "${parameter} must be the Map returned by infraSite(...), e.g. infraSite('stage-example'); got ${site == null ? 'nothing' : 'a value of type ' + site.getClass().getSimpleName()}".toString()
        }
        Map m = (Map) site
        for (Object key : m.keySet()) {
            if (!SITE_KEYS.contains(key)) {
                return "${parameter} has an unknown key ${preview(key)}: a site reference has only ${SITE_KEYS.join(', ')}".toString()
            }
        }
        int sources = 0
        for (String key : SITE_SOURCES) {
            if (m.containsKey(key)) {
                sources++
            }
        }
        if (sources != 1) {
            return "${parameter} must have exactly one of site, siteFile, siteYaml or proxies; got keys ${m.keySet().join(', ')}".toString()
        }
        Object yaml = m.siteYaml
        if (m.containsKey('siteYaml') && !(yaml instanceof CharSequence && yaml.toString().trim().length() > 0)) {
            String got = yaml instanceof CharSequence ? 'blank text' : yaml == null ? 'nothing' : "a value of type ${yaml.getClass().getSimpleName()}".toString()
            return "${parameter}: siteYaml must be the text of a site YAML file, e.g. from infraSite('stage-example'); got ${got}".toString()
        }
        return null
    }

    /**
     * Problem when a siteYaml site describes another environment than {@code environment} (the lock and
     * the summaries name the environment, so it must be the site the steps work on), or null. Only its
     * top-level name: line is read and quoted, never the text.
     */
    @NonCPS
    static String siteNameProblem(String parameter, Map site, String environment) {
        if (!site.containsKey('siteYaml')) {
            return null
        }
        String declared = topLevelName(site.siteYaml.toString())
        if (declared == environment) {
            return null
        }
        return "${parameter}: its siteYaml describes site ${preview(declared)}, not environment ${environment}; give the site of ${environment}, e.g. infraSite('${environment}')".toString()
    }

    /**
     * The named arguments of a call written name(site, a: x, ...) with the site added as site: (Groovy
     * puts the named arguments first). Returns [options, problem]: a problem when site: is given too.
     */
    @NonCPS
    static Map<String, Object> withSite(String where, Map options, Map site) {
        if (options.containsKey('site')) {
            return [options: null, problem: "${where}: give the site either as the first argument or as site:, not both".toString()]
        }
        Map all = [:]
        all.putAll(options)
        all.site = site
        return [options: all, problem: null]
    }

    /** Labels "<where>: <key>" for the keys of a named-argument request, e.g. shardStates.apply: ready. */
    @NonCPS
    static Map<String, String> labels(String where, List<String> keys) {
        Map<String, String> out = [:]
        for (String key : keys) {
            out.put(key, "${where}: ${key}".toString())
        }
        return out
    }

    /** The raw job parameter values for a request: {@code labels} maps each request key to its parameter name. */
    @NonCPS
    static Map<String, Object> parameterValues(Map params, Map<String, String> labels) {
        Map<String, Object> values = [:]
        for (String key : labels.keySet()) {
            values.put(key, params == null ? null : params.get(labels.get(key)))
        }
        return values
    }

    /** The message a build fails with for a request's problems ("<name>: <what>:" and one line each), or null. */
    @NonCPS
    static String requestProblem(String name, String what, Map request) {
        List problems = (List) request.problems
        if (problems == null || problems.isEmpty()) {
            return null
        }
        return "${name}: ${what}:\n  ".toString() + problems.join('\n  ')
    }

    /** The request without its problems entry. */
    @NonCPS
    static Map<String, Object> withoutProblems(Map request) {
        Map<String, Object> out = [:]
        for (Object key : request.keySet()) {
            if (key != 'problems') {
                out.put((String) key, request.get(key))
            }
        }
        return out
    }

    /** Problem with unknown keys of a named-argument map, or null. */
    @NonCPS
    static String unknownKeys(String where, Map args, List<String> allowed) {
        for (Object key : args.keySet()) {
            if (!allowed.contains(key)) {
                return "${where}: unknown argument ${preview(key)}; allowed: ${allowed.join(', ')}".toString()
            }
        }
        return null
    }

    /**
     * Validates an infraSite(...) argument. Returns [kind: resource|file|configured, value, regions,
     * problems]. Forms: 'name', [name: 'name'], [file: 'path.yaml'], [configured: 'name'], each map
     * form optionally with regions: ['r1', ...] (or one region as a string).
     */
    @NonCPS
    static Map<String, Object> siteRequest(Object spec) {
        Map<String, Object> out = [kind: null, value: null, regions: null, problems: []]
        List<String> problems = (List<String>) out.problems
        if (spec == null || spec instanceof CharSequence) {
            String p = nameProblem('infraSite: name', spec)
            if (p != null) {
                problems.add(p)
            } else {
                out.kind = 'resource'
                out.value = spec.toString()
            }
            return out
        }
        if (!(spec instanceof Map)) {
            problems.add("infraSite takes a site name or a map (name:, file: or configured:, optional regions:); got a value of type ${spec.getClass().getSimpleName()}".toString())
            return out
        }
        Map m = (Map) spec
        String unknown = unknownKeys('infraSite', m, ['name', 'file', 'configured', 'regions'])
        if (unknown != null) {
            problems.add(unknown)
            return out
        }
        List<String> given = []
        for (String k : ['name', 'file', 'configured']) {
            if (m.containsKey(k)) {
                given.add(k)
            }
        }
        if (given.size() != 1) {
            problems.add("infraSite needs exactly one of name:, file: or configured:; got ${given.isEmpty() ? 'none' : given.join(', ')}".toString())
            return out
        }
        String kind = given[0]
        Object value = m.get(kind)
        String p
        if (kind == 'file') {
            p = pathProblem('infraSite: file', value)
        } else {
            p = nameProblem("infraSite: ${kind}".toString(), value)
        }
        if (p != null) {
            problems.add(p)
            return out
        }
        out.kind = kind == 'name' ? 'resource' : kind
        out.value = value.toString()
        if (m.containsKey('regions')) {
            List<Object> regions = m.regions instanceof CharSequence ? [m.regions] : m.regions instanceof Collection ? new ArrayList<Object>((Collection) m.regions) : null
            if (regions == null || regions.isEmpty()) {
                problems.add("infraSite: regions must be a non-empty list of region names, e.g. ['us-ashburn-1']; got ${preview(m.regions)}".toString())
                return out
            }
            out.regions = regionNames('infraSite: regions', regions, 'region names, each', null, true, problems)
        }
        return out
    }

    /** Problem with a workspace-relative site file path, or null. */
    @NonCPS
    static String pathProblem(String parameter, Object value) {
        String p = formProblem(parameter, value, 'a site file path', PATH_FORM, PATH_WORDS)
        if (p != null) {
            return p
        }
        String path = value.toString()
        for (String segment : path.split('/', -1)) {
            if (segment.length() == 0 || segment == '.' || segment == '..') {
                return "${parameter} must be ${PATH_WORDS}; got ${preview(path)}".toString()
            }
        }
        if (!path.endsWith('.yaml') && !path.endsWith('.yml')) {
            return "${parameter} must name a YAML file (.yaml or .yml); got ${preview(path)}".toString()
        }
        return null
    }

    /**
     * The value of the top-level {@code name:} line of a site file, or null. A line scan (no YAML
     * parser): enough to check that sites/X.yaml describes site X before a lock is taken for X.
     */
    @NonCPS
    static String topLevelName(String yaml) {
        if (yaml == null) {
            return null
        }
        for (String line : yaml.split('\n')) {
            if (line.startsWith('name:')) {
                String v = line.substring(5)
                int hash = v.indexOf(' #')
                if (hash >= 0) {
                    v = v.substring(0, hash)
                }
                v = v.trim()
                if (v.length() >= 2 && (v.startsWith('"') && v.endsWith('"') || v.startsWith("'") && v.endsWith("'"))) {
                    v = v.substring(1, v.length() - 1)
                }
                return v
            }
        }
        return null
    }

    // ---- HAProxy pipelines and multiRegion ----

    /** HAProxy backend and server names, as setHaproxy accepts them. */
    static final String SERVER_FORM = '[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}'
    static final String SERVER_WORDS =
            "ASCII letters, digits, '_', '.', ':' and '-', starting with a letter or digit, 1 to 128 characters"

    /** Server states and proxy health values; UNCHANGED (or an empty value) leaves it as it is. */
    static final List<String> STATES = ['ready', 'drain', 'maint']
    static final List<String> HEALTH_VALUES = ['up', 'down']
    static final String UNCHANGED = 'unchanged'

    /** The choice meaning every region of the site in a REGIONS parameter. */
    static final String ALL_REGIONS = 'all'

    /** Most regions one request may name, and most branches multiRegion runs at once. */
    static final int MAX_REGIONS = 64

    /** multiRegion titles: printable ASCII, at most 100 characters. */
    static final String TITLE_FORM = '[ -~]{1,100}'

    /**
     * Checks a region selection (a REGIONS parameter): absent, empty (text or List) or 'all' for every region of
     * the site (returns an empty list), otherwise region names separated by spaces or commas (or a
     * List), each matching {@link #NAME_FORM}, in the order given, without repeats. Adds the first
     * problem to {@code problems}. Whether the regions belong to the site is checked against the site
     * file (infraSite.regionsOf).
     */
    @NonCPS
    static List<String> regionSelection(String label, Object value, List<String> problems) {
        List<String> regions = []
        if (absent(value) || value == ALL_REGIONS || (value instanceof Collection && ((Collection) value).isEmpty())) {
            return regions
        }
        if (!(value instanceof CharSequence) && !(value instanceof Collection)) {
            problems.add("${label} must be '${ALL_REGIONS}' or region names separated by spaces or commas; got a value of type ${value.getClass().getSimpleName()}".toString())
            return regions
        }
        List<Object> tokens = splitList(value)
        if (tokens.isEmpty()) {
            problems.add("${label} must be '${ALL_REGIONS}' or region names separated by spaces or commas; got ${preview(value)}".toString())
            return regions
        }
        if (tokens.size() > MAX_REGIONS) {
            problems.add("${label} names ${tokens.size()} regions; at most ${MAX_REGIONS} are allowed".toString())
            return regions
        }
        if (tokens.size() == 1 && tokens[0] == ALL_REGIONS) {
            return regions
        }
        return regionNames(label, tokens, "'${ALL_REGIONS}' or region names separated by spaces or commas, each".toString(), ALL_REGIONS, true,
                problems)
    }

    /**
     * Region names from {@code tokens}, in order: each must match {@link #NAME_FORM} and not be {@code reserved}
     * (null: none); a repeated name is dropped, or, without {@code repeatsAllowed}, a problem. The first problem
     * is added to {@code problems}, and then no names are returned.
     */
    @NonCPS
    static List<String> regionNames(String label, List<Object> tokens, String what, String reserved, boolean repeatsAllowed,
                                    List<String> problems) {
        List<String> names = []
        for (Object token : tokens) {
            String p = null
            if (reserved != null && token == reserved) {
                p = "${label}: '${reserved}' means every region; give it alone or name regions".toString()
            } else {
                p = formProblem(label, token, what, NAME_FORM, NAME_WORDS)
            }
            if (p == null && !repeatsAllowed && names.contains(token.toString())) {
                p = "${label} names ${token} twice; each region runs once".toString()
            }
            if (p != null) {
                problems.add(p)
                return []
            }
            if (!names.contains(token.toString())) {
                names.add(token.toString())
            }
        }
        return names
    }

    /**
     * The regions of {@code selected} checked against the site's regions: every selected one must be
     * a region of the site; an empty selection means all of them. Returns [regions, problem]: the
     * regions in the site's order, or a problem naming {@code label} and listing the site's regions.
     */
    @NonCPS
    static Map<String, Object> regionsOfSite(String label, List<String> selected, String site, List<String> siteRegions) {
        List<String> unknown = []
        for (String r : selected) {
            if (!siteRegions.contains(r)) {
                unknown.add(r)
            }
        }
        if (!unknown.isEmpty()) {
            String problem = "${label}: ${unknown.join(', ')} ${unknown.size() == 1 ? 'is not a region' : 'are not regions'} of ${site}; its regions: ${siteRegions.join(', ')} (or '${ALL_REGIONS}')".toString()
            return [regions: [], problem: problem]
        }
        List<String> out = []
        for (String r : siteRegions) {
            if (selected.isEmpty() || selected.contains(r)) {
                out.add(r)
            }
        }
        return [regions: out, problem: null]
    }

    /** A choice that may be left unchanged: absent, empty or 'unchanged' give null; otherwise one of {@code allowed}. */
    @NonCPS
    static String optionalChoice(String label, Object value, List<String> allowed, List<String> problems) {
        if (absent(value) || value == UNCHANGED) {
            return null
        }
        if (value instanceof CharSequence && allowed.contains(value.toString())) {
            return value.toString()
        }
        String got = value instanceof CharSequence ? preview(value) : "a value of type ${value.getClass().getSimpleName()}".toString()
        problems.add("${label} must be one of ${UNCHANGED}, ${allowed.join(', ')}; got ${got}".toString())
        return null
    }

    /** An optional HAProxy backend or server name (null when absent), or a problem. */
    @NonCPS
    static String optionalServerName(String label, Object value, String what, List<String> problems) {
        if (absent(value)) {
            return null
        }
        String p = formProblem(label, value, what, SERVER_FORM, SERVER_WORDS)
        if (p != null) {
            problems.add(p)
            return null
        }
        return value.toString()
    }

    /**
     * Validates an HAProxy change request: environment; a server change (backend and server, with state
     * and/or weight) or a proxy change (health); force (only with state drain or maint). Region
     * selection is checked separately ({@link #regionSelection}). {@code labels} maps environment,
     * backend, server, state, weight, health and force to the names the caller knows them by.
     * Returns [environment, backend, server, state, weight (Integer or null), health, force, problems].
     */
    @NonCPS
    static Map<String, Object> haproxyChangeRequest(Map labels, Map values) {
        List<String> problems = []
        String environment = checkedName((String) labels.environment, values.environment, problems)
        String backend = optionalServerName((String) labels.backend, values.backend, 'an HAProxy backend name', problems)
        String server = optionalServerName((String) labels.server, values.server, 'an HAProxy server name', problems)
        String state = optionalChoice((String) labels.state, values.state, STATES, problems)
        Integer weight = optionalNumber((String) labels.weight, values.weight, 'a server weight', 0, 256, problems)
        String health = optionalChoice((String) labels.health, values.health, HEALTH_VALUES, problems)
        boolean force = checkedFlag((String) labels.force, values.force, problems)

        if (problems.isEmpty()) {
            List<String> serverFields = []
            if (!absent(values.backend)) {
                serverFields.add((String) labels.backend)
            }
            if (!absent(values.server)) {
                serverFields.add((String) labels.server)
            }
            if (state != null) {
                serverFields.add((String) labels.state)
            }
            if (weight != null) {
                serverFields.add((String) labels.weight)
            }
            String serverChange = "${labels.backend}, ${labels.server} and ${labels.state} or ${labels.weight}".toString()
            if (health != null) {
                if (!serverFields.isEmpty()) {
                    problems.add("${labels.health} changes whole proxies; leave ${serverFields.join(', ')} empty (or leave ${labels.health} ${UNCHANGED} to change a server)".toString())
                }
            } else if (serverFields.isEmpty()) {
                problems.add("nothing to change: give ${serverChange} to change a server, or ${labels.health} (up or down) to change whole proxies".toString())
            } else if (backend == null || server == null) {
                problems.add("${backend == null ? labels.backend : labels.server} is required to change a server: give ${labels.backend} and ${labels.server} (e.g. release-42 and ${values.environment}-us-ashburn-1-s2)".toString())
            } else if (state == null && weight == null) {
                problems.add("${labels.state} and ${labels.weight} are both ${UNCHANGED}: give a state (ready, drain, maint) and/or a weight (0 to 256) for ${backend}/${server}".toString())
            }
            if (force && state != 'drain' && state != 'maint') {
                problems.add("${labels.force} applies only when ${labels.state} is drain or maint (it overrides the last-ready-server guard)".toString())
            }
        }

        return [environment: environment, backend: backend, server: server, state: state, weight: weight, health: health,
                force: force, problems: problems]
    }

    /**
     * Validates multiRegion's arguments: regions (a List of region names, or names separated by spaces
     * or commas; at least one, at most {@link #MAX_REGIONS}, no repeats) and options failFast,
     * tolerateFailures (flags), maxParallel (1 to {@link #MAX_REGIONS}, default: every region at once)
     * and title (printable ASCII). Returns [regions, failFast, tolerateFailures, maxParallel, title, problems].
     */
    @NonCPS
    static Map<String, Object> multiRegionRequest(Object regions, Map options) {
        List<String> problems = []
        Map<String, Object> out = [regions: [], failFast: false, tolerateFailures: false, maxParallel: 1,
                                   title: 'multiRegion', problems: problems]
        String unknown = unknownKeys('multiRegion', options, ['failFast', 'maxParallel', 'tolerateFailures', 'title'])
        if (unknown != null) {
            problems.add(unknown)
            return out
        }
        List<String> names = []
        if (regions == null || !(regions instanceof CharSequence || regions instanceof Collection)) {
            problems.add("multiRegion: regions must be a list of region names, e.g. ['us-ashburn-1', 'eu-frankfurt-1']; got ${regions == null ? 'nothing' : 'a value of type ' + regions.getClass().getSimpleName()}".toString())
        } else {
            List<Object> tokens = splitList(regions)
            if (tokens.isEmpty()) {
                problems.add("multiRegion: regions is empty: name at least one region, e.g. ['us-ashburn-1']".toString())
            } else if (tokens.size() > MAX_REGIONS) {
                problems.add("multiRegion: regions names ${tokens.size()} regions; at most ${MAX_REGIONS} are allowed".toString())
            } else {
                names = regionNames('multiRegion: regions', tokens, 'region names, each', null, false, problems)
            }
        }
        for (String key : ['failFast', 'tolerateFailures']) {
            String p = flagProblem("multiRegion: ${key}".toString(), options.get(key))
            if (p != null) {
                problems.add(p)
            }
        }
        Integer most = optionalNumber('multiRegion: maxParallel', options.maxParallel, 'the most regions run at once', 1, MAX_REGIONS, problems)
        int maxParallel = most != null ? most.intValue() : names.isEmpty() ? 1 : names.size()
        String title = 'multiRegion'
        if (options.containsKey('title')) {
            Object t = options.title
            String p = formProblem('multiRegion: title', t, 'a title', TITLE_FORM, 'printable ASCII, 1 to 100 characters')
            if (p != null) {
                problems.add(p)
            } else {
                title = t.toString()
            }
        }
        if (problems.isEmpty()) {
            out.regions = names
            out.failFast = flag(options.failFast)
            out.tolerateFailures = flag(options.tolerateFailures)
            out.maxParallel = maxParallel
            out.title = title
        }
        return out
    }
}
