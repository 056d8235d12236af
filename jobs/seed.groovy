// Job DSL seed: the job families release managers run, one folder per environment.
//
// Run by a seed job (see docs/release-manager-guide.md, "4. The seed job") that checks out this
// repository and processes jobs/seed.groovy with the Job DSL plugin ("Process Job DSLs", script
// from the workspace), WITH Job DSL script security on and no additional classpath: this script
// uses only the Job DSL API (readFileFromWorkspace, folder, pipelineJob, listView and their blocks)
// and plain Groovy/JDK methods of script-security's default whitelist (String: split, trim,
// matches, contains, startsWith, endsWith, indexOf, substring, charAt, length, isEmpty; List/Map:
// add, addAll, contains, isEmpty, size, get, put, putAll; Groovy: collect, join, plus;
// Integer.toString(int, int); new StringBuilder, append; new Exception(String); Binding.hasVariable;
// println), so it runs in the Groovy sandbox without any script approval.
//
// Seed job parameters, read as binding variables:
//   REPOSITORY_URL  required: URL of this repository, where the generated jobs read their
//                   Jenkinsfiles (https://host/path, ssh://user@host/path or git@host:path;
//                   never a password in the URL: use CREDENTIALS_ID)
//   BRANCH          branch of this repository the jobs use (default main)
//   CREDENTIALS_ID  optional: id of the Jenkins credential to check the repository out with
//   SITES           optional: only these sites (names separated by spaces or commas), e.g. a
//                   production controller seeding production only; default: every site
//
// Which sites, and what of them: jobs/sites.txt, the seed's only data source, one line per site:
//     <name>  regions=<region>,<region>...  protected=<true|false>
// read with readFileFromWorkspace (which also works when the seed runs on an agent) and checked
// strictly here (siteList): names and regions [a-z0-9][a-z0-9-]{0,62}, no region 'all', no repeats,
// protected exactly true or false; a bad line fails the seed naming the line. The seed does not
// read resources/sites/*.yaml: JobDslSeedTest derives each line from the site's YAML with the
// library's own SiteOutline (where the library's classes are available) and fails printing the
// exact line to put here when they differ. Adding a site: add its YAML, run the tests, add the line
// they print. The steps parse and validate the whole site file when jobs run.
//
// For every site: folder('<env>'), one pipelineJob per available family below (its script is
// jenkinsfiles/<family>.Jenkinsfile from REPOSITORY_URL at BRANCH, typed parameters matching
// what that Jenkinsfile reads), and list views by prefix. Families whose Jenkinsfiles do not
// exist yet are in the table as pending, with what they wait for: they are not generated.
// Everything is validated before anything is generated, so a bad site or parameter changes no job.

/** The job families of issue 6. pending: why the family is not generated yet (null: generated). */
List<Map> families() {
    Map environment = [type: 'choice', name: 'ENVIRONMENT', choices: 'environment',
                       description: 'The environment of this folder. Its site is resources/sites/<environment>.yaml in the infra-steps library.']
    Map regions = [type: 'choice', name: 'REGIONS', choices: 'regions',
                   description: "Regions to act on: 'all', or one region of the site. (Builds started through the API may give several region names separated by spaces or commas.)"]
    Map force = [type: 'boolean', name: 'FORCE', defaultValue: false,
                 description: 'Override the guard that refuses to leave a shared HAProxy backend without a ready server. Leave unchecked unless you know why.']
    Map releaseNumber = [type: 'string', name: 'RELEASE_NUMBER', defaultValue: '',
                         description: 'Release number: ASCII digits, 1 to 999999999, no sign, spaces or leading zeros, e.g. 4242.']
    return [
            pending('release-core', 'needs the provisionShard step (issue 5) and the releaseCore var',
                    'ENVIRONMENT, REGIONS, SHARD_COUNT, JVB_POOL_SIZE, SIGNAL_VERSION, JVB_VERSION, CORE_PROVIDER'),
            pending('expand-release-core', 'needs the provisionShard step (issue 5) and the expandRelease var',
                    'ENVIRONMENT, REGIONS, RELEASE_NUMBER, SHARDS_PER_REGION'),
            pending('recycle-release-core', 'needs provisionShard and deleteShard (issue 5) and the recycleRelease var',
                    'ENVIRONMENT, REGIONS, RELEASE_NUMBER, DRAIN_HOURS'),
            pending('destroy-release-core', 'needs the deleteShard step (issue 5) and the destroyRelease var',
                    'ENVIRONMENT, RELEASE_NUMBER'),
            pending('provision-shard', 'needs the provisionShard step (issue 5)',
                    'ENVIRONMENT, REGION, CLOUD, SHARD_COUNT or SHARD_NUMBERS, JVB_POOL_SIZE, RELEASE_NUMBER, versions, shapes, CORE_PROVIDER, SKIP_READY'),
            pending('destroy-shards', 'needs the deleteShard step (issue 5)', 'ENVIRONMENT, SHARDS'),
            pending('release-nomad-<service>', 'needs deployNomadJob/deployNomadPack (issue 4), the deployNomadService var and a services list in the site',
                    'one job per service of the site: ENVIRONMENT, REGIONS, VERSION'),
            available('set-release-ga',
                      'Make a release generally available (live) in this environment: every shard of the release must be healthy (unless FORCE), then releases/<env>/live is written in every datacenter and the live map swapped on every HAProxy, under the lock haproxy-state-<env>.',
                      [environment,
                       releaseNumber + [description: 'The release to make live. ' + releaseNumber.description],
                       force + [description: 'Make the release live even if some of its shards are not healthy.']]),
            available('reconfigure-shard-states',
                      'Mark shards ready or drain on every HAProxy of this environment: ready first, then drain, under the lock haproxy-state-<env>. Every shard is tried; the build fails naming each shard that failed.',
                      [environment,
                       [type: 'string', name: 'SHARDS_READY', defaultValue: '',
                        description: 'Shards to mark ready, separated by spaces or commas, each <environment>-<region>-s<N>, e.g. stage-example-us-ashburn-1-s2. May be empty if SHARDS_DRAIN is not.'],
                       [type: 'string', name: 'SHARDS_DRAIN', defaultValue: '',
                        description: 'Shards to drain (no new rooms), separated by spaces or commas, each <environment>-<region>-s<N>. May be empty if SHARDS_READY is not.'],
                       force]),
            available('reconfigure-haproxy',
                      'Change one HAProxy server (BACKEND + SERVER: STATE and/or WEIGHT) or whole proxies (HEALTH) in the chosen regions of this environment, under the lock haproxy-state-<env>. Every proxy is read first and the change is read back.',
                      [environment,
                       [type: 'string', name: 'BACKEND', defaultValue: '',
                        description: "HAProxy backend of the server to change, e.g. release-42 or a shard's own backend: ASCII letters, digits, '_', '.', ':', '-', at most 128 characters. Empty when changing HEALTH."],
                       [type: 'string', name: 'SERVER', defaultValue: '',
                        description: 'Server in that backend, e.g. stage-example-us-ashburn-1-s2 (same characters as BACKEND). Empty when changing HEALTH.'],
                       [type: 'choice', name: 'STATE', choices: ['unchanged', 'ready', 'drain', 'maint'],
                        description: 'New administrative state of the server: ready (takes new rooms), drain (keeps its rooms, takes no new ones), maint (out of service), or unchanged.'],
                       [type: 'string', name: 'WEIGHT', defaultValue: '',
                        description: 'New weight of the server: a whole number from 0 to 256, or empty to leave it unchanged.'],
                       [type: 'choice', name: 'HEALTH', choices: ['unchanged', 'up', 'down'],
                        description: 'Health of whole proxies as the cloud load balancer sees it: down takes the proxies out of the load balancer, up puts them back. Instead of a server change (leave BACKEND, SERVER, STATE and WEIGHT empty).'],
                       regions,
                       force + [description: 'With STATE drain or maint: ' + force.description]]),
            available('monitor-haproxy',
                      'Read every HAProxy of the chosen regions, region by region in parallel, under the lock haproxy-state-<env>; print one table of proxies and servers; fail if any proxy is unreachable or any server DOWN.',
                      [environment, regions]),
            available('validate-shards',
                      "Validate shards (Consul registration and checks, the sidecar's report, every HAProxy sees them UP, their KV state), named or a whole release, and print one table; fail naming each shard that failed.",
                      [environment,
                       [type: 'string', name: 'SHARDS', defaultValue: '',
                        description: 'Shards to validate, separated by spaces or commas, each <environment>-<region>-s<N>. Leave empty to validate a whole release (RELEASE_NUMBER).'],
                       releaseNumber + [description: 'Instead of SHARDS: wait until every shard of this release is healthy, then validate them all. ' + releaseNumber.description],
                       [type: 'string', name: 'WAIT_MINUTES', defaultValue: '20',
                        description: 'With RELEASE_NUMBER: minutes to wait for healthy shards, a whole number from 1 to 240 (default 20).']]),
    ]
}

/** A family generated for every site: what its jobs do, and their parameters. */
Map available(String family, String description, List<Map> parameters) {
    return [family: family, pending: null, description: description, parameters: parameters]
}

/** A family not generated yet: what it waits for, and the parameters planned for it. */
Map pending(String family, String needs, String planned) {
    return [family: family, pending: needs, planned: planned]
}

/** List views by family prefix. A view is created when at least one of its families is generated. */
List<Map> views() {
    return [
            [name: 'release', prefixes: ['release-', 'expand-release-', 'recycle-release-'],
             description: 'Releases: create, expand and recycle release cores; Nomad service releases.'],
            [name: 'provision-validate', prefixes: ['provision-', 'validate-'],
             description: 'Provision shards and validate them.'],
            [name: 'reconfigure-set', prefixes: ['reconfigure-', 'set-'],
             description: 'Change live state: shard states, HAProxy servers and health, the GA release.'],
            [name: 'destroy', prefixes: ['destroy-'],
             description: 'Destroy shards and releases.'],
            [name: 'monitor', prefixes: ['monitor-'],
             description: 'Read-only checks of the running fleet.'],
    ]
}

/** The regular expression of a view: job names starting with one of its prefixes. */
String viewRegex(Map view) {
    List<String> alternatives = []
    for (String prefix : (List<String>) view.prefixes) {
        alternatives.add(prefix.substring(0, prefix.length() - 1))
    }
    return "(${alternatives.join('|')})-.*".toString()
}

// ---- checks ----

/** Site and region names: lower-case ASCII letters, digits and '-', starting with a letter or digit. */
String nameForm() {
    return '[a-z0-9][a-z0-9-]{0,62}'
}

/** Most regions a site may list (the library's SiteOutline.MAX_REGIONS). */
int maxRegions() {
    return 64
}

/**
 * A value quoted for a message: printable ASCII as is, escapes for the rest, at most 48 characters
 * shown. The same text as the library's Checks.preview (JobDslSeedTest compares them), written here
 * because the seed cannot load the library's classes under Job DSL script security.
 */
String quoted(Object value) {
    if (value == null) {
        return 'nothing'
    }
    String s = value.toString()
    int shown = s.length() < 48 ? s.length() : 48
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
            b.append('\\').append(s.substring(i, i + 1))
        } else if (c < 32 || c > 126) {
            b.append('\\u').append(Integer.toString(c | 0x10000, 16).substring(1))
        } else {
            b.append(s.substring(i, i + 1))
        }
    }
    b.append("'")
    if (s.length() > shown) {
        b.append(" (").append(s.length()).append(" characters, first ").append(shown).append(" shown)")
    }
    return b.toString()
}

/** A seed job parameter's value as text ('' when the seed job does not define it or it is null). */
String parameterText(Object value) {
    return value == null ? '' : value.toString()
}

/** Checks the seed job parameters; returns [repositoryUrl, branch, credentialsId, sites, problems]. */
Map seedParameters(String repositoryUrl, String branch, String credentialsId, String sites) {
    List<String> problems = []
    String url = repositoryUrl
    if (url.trim().isEmpty()) {
        problems.add('REPOSITORY_URL is required: the URL of this repository (https://host/path, ssh://user@host/path or git@host:path)')
    } else if (!url.matches('(https://|ssh://|git@)[A-Za-z0-9._~:/@%+-]{1,290}') || url.contains('..')) {
        problems.add("REPOSITORY_URL must be https://host/path, ssh://user@host/path or git@host:path (ASCII letters, digits and . _ ~ : / @ % + -, no '..', at most 300 characters); got ${quoted(url)}".toString())
    } else if (url.startsWith('https://') && url.substring(8).split('/')[0].contains('@')) {
        problems.add('REPOSITORY_URL must not hold a user or password: give the credential as CREDENTIALS_ID')
    }
    String ref = branch.isEmpty() ? 'main' : branch
    if (!ref.matches('[A-Za-z0-9_*][A-Za-z0-9._/*-]{0,99}') || ref.contains('..') || ref.endsWith('/') || ref.endsWith('.lock')) {
        problems.add("BRANCH must be a branch name such as main or release/2024 (ASCII letters, digits and . _ / - *, at most 100 characters, no '..'); got ${quoted(branch)}".toString())
    }
    String credentials = credentialsId
    if (!credentials.isEmpty() && !credentials.matches('[A-Za-z0-9._-]{1,100}')) {
        problems.add("CREDENTIALS_ID must be a credential id (ASCII letters, digits, '.', '_', '-', at most 100 characters); got ${quoted(credentialsId)}".toString())
    }
    List<String> chosen = []
    for (String token : sites.split('[ \t,]+')) {
        if (token.isEmpty()) {
            continue
        }
        if (!token.matches(nameForm())) {
            problems.add("SITES must be site names separated by spaces or commas, each matching ${nameForm()}; got ${quoted(token)}".toString())
            break
        }
        if (!chosen.contains(token)) {
            chosen.add(token)
        }
    }
    return [repositoryUrl: url, branch: ref, credentialsId: credentials, sites: chosen, problems: problems]
}

/**
 * The sites of jobs/sites.txt, in order: [name, regions, protected] per line
 * '<name>  regions=<region>,<region>...  protected=<true|false>'; '#' starts a comment, blank lines
 * are ignored. Every problem names its line.
 */
List<Map> siteList(String text, List<String> problems) {
    List<Map> sites = []
    List<String> names = []
    String[] lines = text.split('\n')
    for (int n = 0; n < lines.length; n++) {
        String line = lines[n]
        int hash = line.indexOf('#')
        if (hash >= 0) {
            line = line.substring(0, hash)
        }
        line = line.trim()
        if (line.isEmpty()) {
            continue
        }
        String where = "jobs/sites.txt line ${n + 1}".toString()
        String problem = null
        String[] fields = line.split('[ \t]+')
        String name = fields[0]
        String regionsValue = null
        String protectedValue = null
        if (!name.matches(nameForm())) {
            problem = "${where}: a site name must match ${nameForm()}; got ${quoted(name)}".toString()
        } else if (names.contains(name)) {
            problem = "${where}: ${name} is listed twice".toString()
        }
        for (int f = 1; f < fields.length && problem == null; f++) {
            String field = fields[f]
            if (field.startsWith('regions=') && regionsValue == null) {
                regionsValue = field.substring(8)
            } else if (field.startsWith('protected=') && protectedValue == null) {
                protectedValue = field.substring(10)
            } else {
                problem = "${where}: expected '<name>  regions=<region>,<region>...  protected=<true|false>', each field once; got ${quoted(field)}".toString()
            }
        }
        if (problem == null && (regionsValue == null || protectedValue == null)) {
            problem = "${where}: ${name} needs both regions=<region>,<region>... and protected=<true|false>".toString()
        }
        List<String> regions = []
        if (problem == null) {
            String[] tokens = regionsValue.split(',', -1)
            if (tokens.length > maxRegions()) {
                problem = "${where}: ${name} lists ${tokens.length} regions; at most ${maxRegions()} are allowed".toString()
            }
            for (int r = 0; r < tokens.length && problem == null; r++) {
                String region = tokens[r]
                if (!region.matches(nameForm())) {
                    problem = "${where}: regions must be region names separated by commas, each matching ${nameForm()}; got ${quoted(region)}".toString()
                } else if (region == 'all') {
                    problem = "${where}: a region named 'all' would be mistaken for every region in REGIONS".toString()
                } else if (regions.contains(region)) {
                    problem = "${where}: region ${region} is listed twice".toString()
                } else {
                    regions.add(region)
                }
            }
        }
        if (problem == null && protectedValue != 'true' && protectedValue != 'false') {
            problem = "${where}: protected must be true or false; got ${quoted(protectedValue)}".toString()
        }
        if (problem != null) {
            problems.add(problem)
        } else {
            names.add(name)
            sites.add([name: name, regions: regions, protected: protectedValue == 'true'])
        }
    }
    if (sites.isEmpty() && problems.isEmpty()) {
        problems.add('jobs/sites.txt lists no site')
    }
    return sites
}

// ---- planning and generating ----

/**
 * Everything to generate, as data, after every check passed: [sites: [[name, regions, protected,
 * jobs: [[name, family, description, scriptPath, parameters]], views: [[name, regex, description]]]]].
 * Throws an Exception 'seed: nothing was generated: ...' listing every problem otherwise.
 */
Map plan(Map seed) {
    List<String> problems = []
    problems.addAll((List<String>) seed.problems)
    List<Map> listed = siteList(readFileFromWorkspace('jobs/sites.txt'), problems)
    List<String> listedNames = listed.collect { it.name }
    List<Map> sites = listed
    if (!((List) seed.sites).isEmpty()) {
        sites = []
        for (String s : (List<String>) seed.sites) {
            int index = listedNames.indexOf(s)
            if (index < 0) {
                problems.add("SITES: ${s} is not in jobs/sites.txt; sites: ${listedNames.join(', ')}".toString())
            } else {
                sites.add(listed.get(index))
            }
        }
    }
    if (!problems.isEmpty()) {
        throw new Exception("seed: nothing was generated:\n  " + problems.join('\n  '))
    }
    List<Map> planned = []
    for (Map site : sites) {
        List<Map> jobs = []
        for (Map family : families()) {
            if (family.pending != null) {
                continue
            }
            List<Map> parameters = []
            for (Map p : (List<Map>) family.parameters) {
                Map parameter = [:]
                parameter.putAll(p)
                if (p.choices == 'environment') {
                    parameter.choices = [site.name]
                } else if (p.choices == 'regions') {
                    parameter.choices = ['all'] + (List<String>) site.regions
                }
                parameters.add(parameter)
            }
            jobs.add([name: "${site.name}/${family.family}".toString(), family: family.family,
                      description: "${family.description}\n\nRuns jenkinsfiles/${family.family}.Jenkinsfile of ${seed.repositoryUrl} (${seed.branch}). Generated by jobs/seed.groovy: change it there, not here.".toString(),
                      scriptPath: "jenkinsfiles/${family.family}.Jenkinsfile".toString(), parameters: parameters])
        }
        List<Map> siteViews = []
        for (Map view : views()) {
            String pattern = viewRegex(view)
            boolean used = false
            for (Map job : jobs) {
                if (((String) job.family).matches(pattern)) {
                    used = true
                }
            }
            if (used) {
                siteViews.add([name: "${site.name}/${view.name}".toString(), regex: pattern, description: view.description])
            }
        }
        String description = "Jobs of environment ${site.name}: regions ${((List) site.regions).join(', ')}${site.protected ? '; protected environment' : ''}. Site: resources/sites/${site.name}.yaml. Generated by jobs/seed.groovy: changes made here are overwritten.".toString()
        planned.add([name: site.name, regions: site.regions, protected: site.protected, description: description, jobs: jobs, views: siteViews])
    }
    return [sites: planned]
}

/** Creates the folders, jobs and views of a plan. Only Job DSL methods are called inside DSL blocks. */
void generate(Map plan, Map seed) {
    String repositoryUrl = seed.repositoryUrl
    String branchName = seed.branch
    String credentialsId = seed.credentialsId
    for (Map site : (List<Map>) plan.sites) {
        String folderName = site.name
        String folderDescription = site.description
        folder(folderName) {
            displayName(folderName)
            description(folderDescription)
        }
        for (Map job : (List<Map>) site.jobs) {
            String jobDescription = job.description
            String path = job.scriptPath
            List<Map> jobParameters = job.parameters
            pipelineJob((String) job.name) {
                description(jobDescription)
                parameters {
                    for (Map p : jobParameters) {
                        if (p.type == 'string') {
                            stringParam((String) p.name, (String) p.defaultValue, (String) p.description)
                        } else if (p.type == 'boolean') {
                            booleanParam((String) p.name, (boolean) p.defaultValue, (String) p.description)
                        } else {
                            choiceParam((String) p.name, (List<String>) p.choices, (String) p.description)
                        }
                    }
                }
                definition {
                    cpsScm {
                        scm {
                            git {
                                remote {
                                    url(repositoryUrl)
                                    if (credentialsId) {
                                        credentials(credentialsId)
                                    }
                                }
                                branch(branchName)
                            }
                        }
                        scriptPath(path)
                        lightweight(true)
                    }
                }
            }
        }
        for (Map view : (List<Map>) site.views) {
            String viewDescription = view.description
            String jobPattern = view.regex
            listView((String) view.name) {
                description(viewDescription)
                jobs {
                    regex(jobPattern)
                }
                columns {
                    status()
                    weather()
                    name()
                    lastSuccess()
                    lastFailure()
                    lastDuration()
                    buildButton()
                }
            }
        }
    }
}

Map seed = seedParameters(parameterText(binding.hasVariable('REPOSITORY_URL') ? REPOSITORY_URL : null),
        parameterText(binding.hasVariable('BRANCH') ? BRANCH : null),
        parameterText(binding.hasVariable('CREDENTIALS_ID') ? CREDENTIALS_ID : null),
        parameterText(binding.hasVariable('SITES') ? SITES : null))
Map generated = plan(seed)
generate(generated, seed)
for (Map site : (List<Map>) generated.sites) {
    println("seed: ${site.name}: ${site.jobs.size()} jobs (${site.jobs.collect { it.family }.join(', ')}), views ${site.views.collect { it.name }.join(', ')}")
}
for (Map family : families()) {
    if (family.pending != null) {
        println("seed: pending, not generated: ${family.family}: ${family.pending}")
    }
}
