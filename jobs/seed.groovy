// Job DSL seed: the job families release managers run, one folder per environment.
//
// Run by a seed job (see docs/release-manager-guide.md, "Installing") that checks out this
// repository and processes jobs/seed.groovy with the Job DSL plugin ("Process Job DSLs", script
// from the workspace) with the Additional classpath "src" and "jobs/classpath" (one entry a line):
// the seed reads site files with the library's own classes (io.infrasteps.library.SiteOutline and
// Checks, from src/), not a copy of them. Job DSL applies an additional classpath only when its
// script security is off (Manage Jenkins > Security: "Enable script security for Job DSL scripts";
// with it on, the plugin drops the entries and the import below fails: "unable to resolve class
// io.infrasteps.library.SiteOutline"). jobs/classpath holds a stand-in of Pipeline's @NonCPS
// annotation, which the library's classes carry and which the Job DSL plugin may not see.
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
// Which sites: jobs/sites.txt lists them (one name per line; the seed reads the workspace only with
// readFileFromWorkspace, which also works when it is on an agent); JobDslSeedTest fails when the list
// differs from resources/sites/*.yaml. Each site file is read with readFileFromWorkspace('resources/sites/
// <name>.yaml') and only three keys are taken from it: name, protected and regions[].name, with
// SiteOutline.parse, the line scan of the block-style YAML the site files are written in that the
// library's infraSite.describe uses too. Anything the scan does not understand fails the seed naming
// the file and line. The steps parse and validate the whole file when jobs run.
//
// For every site: folder('<env>'), one pipelineJob per available family below (its script is
// jenkinsfiles/<family>.Jenkinsfile from REPOSITORY_URL at BRANCH, typed parameters matching
// what that Jenkinsfile reads), and list views by prefix. Families whose Jenkinsfiles do not
// exist yet are in the table as pending, with what they wait for: they are not generated.
// Everything is validated before anything is generated, so a bad site or parameter changes no job.

import io.infrasteps.library.Checks
import io.infrasteps.library.SiteOutline

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

// ---- checks (messages quote values with the library's Checks.preview) ----

/** The value of a seed job parameter, or '' when the seed job does not define it. */
String parameterValue(Closure read) {
    try {
        Object value = read.call()
        return value == null ? '' : value.toString()
    } catch (MissingPropertyException ignored) {
        return ''
    }
}

/** Checks the seed job parameters; returns [repositoryUrl, branch, credentialsId, sites, problems]. */
Map seedParameters(String repositoryUrl, String branch, String credentialsId, String sites) {
    List<String> problems = []
    String url = repositoryUrl
    if (url.trim().isEmpty()) {
        problems.add('REPOSITORY_URL is required: the URL of this repository (https://host/path, ssh://user@host/path or git@host:path)')
    } else if (!url.matches('(https://|ssh://|git@)[A-Za-z0-9._~:/@%+-]{1,290}') || url.contains('..')) {
        problems.add("REPOSITORY_URL must be https://host/path, ssh://user@host/path or git@host:path (ASCII letters, digits and . _ ~ : / @ % + -, no '..', at most 300 characters); got ${Checks.preview(url)}".toString())
    } else if (url.startsWith('https://') && url.substring(8).split('/')[0].contains('@')) {
        problems.add('REPOSITORY_URL must not hold a user or password: give the credential as CREDENTIALS_ID')
    }
    String ref = branch.isEmpty() ? 'main' : branch
    if (!ref.matches('[A-Za-z0-9_*][A-Za-z0-9._/*-]{0,99}') || ref.contains('..') || ref.endsWith('/') || ref.endsWith('.lock')) {
        problems.add("BRANCH must be a branch name such as main or release/2024 (ASCII letters, digits and . _ / - *, at most 100 characters, no '..'); got ${Checks.preview(branch)}".toString())
    }
    String credentials = credentialsId
    if (!credentials.isEmpty() && !credentials.matches('[A-Za-z0-9._-]{1,100}')) {
        problems.add("CREDENTIALS_ID must be a credential id (ASCII letters, digits, '.', '_', '-', at most 100 characters); got ${Checks.preview(credentialsId)}".toString())
    }
    List<String> chosen = []
    for (String token : sites.split('[ \t,]+')) {
        if (token.isEmpty()) {
            continue
        }
        if (!token.matches(Checks.NAME_FORM)) {
            problems.add("SITES must be site names separated by spaces or commas, each matching ${Checks.NAME_FORM}; got ${Checks.preview(token)}".toString())
            break
        }
        if (!chosen.contains(token)) {
            chosen.add(token)
        }
    }
    return [repositoryUrl: url, branch: ref, credentialsId: credentials, sites: chosen, problems: problems]
}

/** The site names of jobs/sites.txt: one per line, '#' comments and blank lines ignored. */
List<String> siteList(String text, List<String> problems) {
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
        if (!line.matches(Checks.NAME_FORM)) {
            problems.add("jobs/sites.txt line ${n + 1}: a site name must match ${Checks.NAME_FORM}; got ${Checks.preview(line)}".toString())
        } else if (names.contains(line)) {
            problems.add("jobs/sites.txt line ${n + 1}: ${line} is listed twice".toString())
        } else {
            names.add(line)
        }
    }
    if (names.isEmpty() && problems.isEmpty()) {
        problems.add('jobs/sites.txt lists no site')
    }
    return names
}

// ---- planning and generating ----

/**
 * Everything to generate, as data, after every check passed: [sites: [[name, regions, protected,
 * jobs: [[name, family, description, scriptPath, parameters]], views: [[name, regex, description]]]]].
 * Throws IllegalArgumentException listing every problem otherwise.
 */
Map plan(Map seed) {
    List<String> problems = []
    problems.addAll((List<String>) seed.problems)
    List<String> listed = siteList(readFileFromWorkspace('jobs/sites.txt'), problems)
    List<String> names = listed
    if (!((List) seed.sites).isEmpty()) {
        names = []
        for (String s : (List<String>) seed.sites) {
            if (!listed.contains(s)) {
                problems.add("SITES: ${s} is not in jobs/sites.txt; sites: ${listed.join(', ')}".toString())
            } else {
                names.add(s)
            }
        }
    }
    List<Map> sites = []
    if (problems.isEmpty()) {
        for (String name : names) {
            String path = "resources/sites/${name}.yaml".toString()
            Map site = SiteOutline.parse(readFileFromWorkspace(path), path)
            problems.addAll((List<String>) site.problems)
            if (site.problems.isEmpty() && site.name != name) {
                problems.add("${path} describes site ${Checks.preview(site.name)}; its name: must be ${name}".toString())
            }
            if (((List) site.regions).contains('all')) {
                problems.add("${path}: a region named 'all' would be mistaken for every region in REGIONS".toString())
            }
            sites.add(site)
        }
    }
    if (!problems.isEmpty()) {
        throw new IllegalArgumentException("seed: nothing was generated:\n  " + problems.join('\n  '))
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

Map seed = seedParameters(parameterValue { REPOSITORY_URL }, parameterValue { BRANCH }, parameterValue { CREDENTIALS_ID },
        parameterValue { SITES })
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
