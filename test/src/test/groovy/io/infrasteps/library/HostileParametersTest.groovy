package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.LibraryTestBase
import org.junit.Test
import org.junit.runner.RunWith
import org.junit.runners.Parameterized
import org.junit.runners.Parameterized.Parameters

/**
 * Hostile values of each build parameter of every pipeline: each fails the build with a message naming
 * the parameter, before any node, lock, file or plugin step call (the site is not read either). The
 * message is printable ASCII, shorter than 1000 characters, one line per problem under a first line
 * "<var>: invalid build parameters:", each naming a parameter of the pipeline, so a hostile value can
 * neither flood the log nor forge log lines.
 */
@RunWith(Parameterized)
class HostileParametersTest extends LibraryTestBase {

    static final String ENV = 'stage-example'
    static final String SHARD = 'stage-example-us-ashburn-1-s1'
    static final String OTHER = 'stage-example-us-ashburn-1-s2'

    /** Hostile environment names (and other names). */
    static final List<String> HOSTILE_NAMES = [
            '',
            ' ',
            ';',
            'stage-example;id',
            'stage-example\nstage-other',
            'stage-example\r\n[Pipeline] echo forged',
            '../stage-example',
            '..',
            'stage/example',
            'stage example',
            ' stage-example',
            'stage-example\t',
            'x' * 10000,
            'stag\u00e9-example',
            'stage-\u0435xample',            // Cyrillic e
            'stage-example\u0000',
            'Stage-Example',
            '-stage-example',
            '$(id)',
            '${env.SECRET}',
            '`id`',
            'stage-example|id',
            'a' * 64,
    ]

    /** Hostile shard lists. */
    static final List<String> HOSTILE_SHARDS = [
            ';',
            "${SHARD};id",
            "${SHARD} ; reboot",
            "${SHARD}\n${OTHER}",
            "${SHARD}\r\n[Pipeline] echo forged",
            "../${SHARD}",
            "stage-example-../../etc",
            "${SHARD}/x",
            'x' * 10000,
            "stage-example-" + ('a' * 9986),
            "${SHARD},${'b' * 200}",
            "stage-example-\u00fcs-ashburn-1-s1",
            "${SHARD}\u0000",
            "${SHARD}\u202e",
            'other-env-us-ashburn-1-s1',
            'stage-example',
            'stage-example-',
            'stage-examplex-us-ashburn-1-s1',
            '$(id)',
            '`id`',
            (1..300).collect { "stage-example-us-ashburn-1-s${it}" }.join(' '),
    ]*.toString()

    /** Hostile values of boolean parameters. */
    static final List<Object> HOSTILE_FLAGS = ['yes', '1', ';', 'true\n', 'TRUE', ' true', 'x' * 10000, 1]

    static final List<Object> HOSTILE_SERVER_NAMES = [
            ';',
            'release-42;id',
            'release 42',
            'release-42\nrelease-43',
            'release-42\r\n[Pipeline] echo forged',
            '../release-42',
            'release-42/x',
            'x' * 129,
            'x' * 10000,
            'r\u00e9lease-42',
            'release-42\u0000',
            'release-42\u202e',
            '$(id)',
            '`id`',
            '-release-42',
            '_release-42',
            'release-42|id',
            ' release-42',
            42,
    ]

    static final List<Object> HOSTILE_STATES = ['READY', 'Drain', 'up', 'ready ', ' ready', 'ready\n', 'ready;id', 'drain,ready',
                                                'x' * 10000, 'r\u00e9ady', 1, true]

    static final List<Object> HOSTILE_HEALTH = ['UP', 'ready', 'up\n', 'down;id', ' down', 'x' * 10000, true, 0]

    static final List<Object> HOSTILE_WEIGHTS = [' ', '-1', '+5', '257', '1000', '01', '00', '1.5', '1e2', '0x10', 'ten', '5\n', '5;id',
                                                 '5\r\n[Pipeline] echo forged', 'x' * 10000, '9' * 10000, '\uff15', '\u0665', -1, 257, 2.5, true]

    static final List<Object> HOSTILE_REGIONS = [' ', ',', ';', 'us-ashburn-1;id', 'us-ashburn-1\neu-frankfurt-1',
                                                 'us-ashburn-1\r\n[Pipeline] echo forged', '../us-ashburn-1', 'US-ASHBURN-1',
                                                 'all us-ashburn-1', 'ALL', 'x' * 10000, 'us-\u00e4shburn-1', 'us-ashburn-1\u0000',
                                                 (1..65).collect { "r${it}" }.join(' '), '$(id)', 42, true]

    static final List<Object> HOSTILE_NUMBERS = [
            ' ',
            '0',
            '00',
            '-1',
            '-42',
            '+42',
            '042',
            '4 2',
            ' 42',
            '42 ',
            '42\n',
            '42\n43',
            '42;id',
            '42\r\n[Pipeline] echo forged',
            '../42',
            '4.2',
            '1e3',
            '0x2a',
            'forty-two',
            '$(id)',
            '`id`',
            'x' * 10000,
            '9' * 10000,
            '9999999999',
            '\u0664\u0662',                  // Arabic-Indic 42
            '\uff14\uff12',                  // full-width 42
            '42\u0000',
            -1,
            0,
            4.2,
            true,
            ['42'],
    ]

    /**
     * Per pipeline: the var whose fromParameters checks its parameters, and those parameters (each line
     * of the message starts with one). In validate-shards a parameter may be named inside a line
     * ("SHARDS and RELEASE_NUMBER are both empty"); elsewhere the hostile one starts a line.
     */
    static final Map<String, Map> PIPELINES = [
            'reconfigure-shard-states': [var: 'shardStates', parameters: ['ENVIRONMENT', 'SHARDS_READY', 'SHARDS_DRAIN', 'FORCE']],
            'reconfigure-haproxy'     : [var: 'haproxyChange', parameters: ['ENVIRONMENT', 'BACKEND', 'SERVER', 'STATE', 'WEIGHT', 'HEALTH',
                                                                           'REGIONS', 'FORCE']],
            'monitor-haproxy'         : [var: 'haproxyMonitor', parameters: ['ENVIRONMENT', 'REGIONS']],
            'validate-shards'         : [var: 'shardValidation', parameters: ['ENVIRONMENT', 'SHARDS', 'RELEASE_NUMBER', 'WAIT_MINUTES'],
                                         namedInsideALine: true],
            'set-release-ga'          : [var: 'setReleaseGa', parameters: ['ENVIRONMENT', 'RELEASE_NUMBER', 'FORCE']],
    ]

    /** The steps that must not run before the parameters are valid. */
    static final List<String> NOT_BEFORE = ['node', 'stage', 'lock', 'setHaproxy', 'haproxyStatus', 'validateShard', 'waitHealthyShards',
                                            'withEnvironmentLock', 'libraryResource', 'writeFile', 'fileExists', 'readFile']

    @Parameters(name = '{index}: {0} {1}={3}')
    static Collection<Object[]> cases() {
        List<Object[]> cases = []
        Map states = [ENVIRONMENT: ENV, SHARDS_READY: OTHER, SHARDS_DRAIN: SHARD, FORCE: false]
        String s = 'reconfigure-shard-states'
        add(cases, s, 'ENVIRONMENT', states, HOSTILE_NAMES)
        add(cases, s, 'SHARDS_READY', states + [SHARDS_DRAIN: ''], HOSTILE_SHARDS)
        add(cases, s, 'SHARDS_DRAIN', states + [SHARDS_READY: ''], HOSTILE_SHARDS)
        add(cases, s, 'FORCE', states, HOSTILE_FLAGS)

        Map server = [ENVIRONMENT: ENV, BACKEND: 'release-42', SERVER: SHARD, STATE: 'drain', WEIGHT: '', HEALTH: 'unchanged',
                      REGIONS: 'all', FORCE: false]
        Map health = server + [BACKEND: '', SERVER: '', STATE: 'unchanged', HEALTH: 'down']
        String r = 'reconfigure-haproxy'
        add(cases, r, 'ENVIRONMENT', server, HOSTILE_NAMES)
        add(cases, r, 'BACKEND', server, HOSTILE_SERVER_NAMES)
        add(cases, r, 'SERVER', server, HOSTILE_SERVER_NAMES)
        add(cases, r, 'STATE', server, HOSTILE_STATES)
        add(cases, r, 'WEIGHT', server, HOSTILE_WEIGHTS)
        add(cases, r, 'HEALTH', health, HOSTILE_HEALTH)
        add(cases, r, 'REGIONS', server, HOSTILE_REGIONS)
        add(cases, r, 'FORCE', server, HOSTILE_FLAGS)

        Map monitor = [ENVIRONMENT: ENV, REGIONS: 'all']
        add(cases, 'monitor-haproxy', 'ENVIRONMENT', monitor, HOSTILE_NAMES)
        add(cases, 'monitor-haproxy', 'REGIONS', monitor, HOSTILE_REGIONS)

        Map shardsMode = [ENVIRONMENT: ENV, SHARDS: SHARD, RELEASE_NUMBER: '', WAIT_MINUTES: '20']
        Map releaseMode = shardsMode + [SHARDS: '', RELEASE_NUMBER: '42']
        String v = 'validate-shards'
        add(cases, v, 'ENVIRONMENT', shardsMode, HOSTILE_NAMES)
        add(cases, v, 'SHARDS', shardsMode, HOSTILE_SHARDS)
        add(cases, v, 'RELEASE_NUMBER', releaseMode, [''] + HOSTILE_NUMBERS)
        add(cases, v, 'WAIT_MINUTES', releaseMode, HOSTILE_NUMBERS + ['241', '1000', 1000])

        Map ga = [ENVIRONMENT: ENV, RELEASE_NUMBER: '42', FORCE: false]
        String g = 'set-release-ga'
        add(cases, g, 'ENVIRONMENT', ga, HOSTILE_NAMES)
        add(cases, g, 'RELEASE_NUMBER', ga, [''] + HOSTILE_NUMBERS)
        add(cases, g, 'FORCE', ga, HOSTILE_FLAGS)

        // A required parameter the job does not pass at all.
        [[s, 'ENVIRONMENT', states], [r, 'ENVIRONMENT', server], ['monitor-haproxy', 'ENVIRONMENT', monitor],
         [v, 'ENVIRONMENT', shardsMode], [v, 'RELEASE_NUMBER', releaseMode], [g, 'ENVIRONMENT', ga], [g, 'RELEASE_NUMBER', ga]].each {
            String parameter = it[1]
            cases << ([it[0], parameter, ((Map) it[2]).findAll { it.key != parameter }, 'missing'] as Object[])
        }
        return cases
    }

    /** A case per value: {@code valid} with {@code parameter} set to it. */
    static void add(List<Object[]> cases, String pipeline, String parameter, Map valid, List<?> values) {
        values.each { cases << ([pipeline, parameter, valid + [(parameter): it], describe(it)] as Object[]) }
    }

    /** A short printable name for the test report. */
    static String describe(Object value) {
        String s = String.valueOf(value)
        String shown = s.take(24).toCharArray().collect { char c -> c < 32 || c > 126 ? String.format('\\u%04x', (int) c) : String.valueOf(c) }.join('')
        return s.length() > 24 ? "${shown}...(${s.length()} chars)" : (s.isEmpty() ? '(empty)' : shown)
    }

    final String pipeline
    final String parameter
    final Map params

    HostileParametersTest(String pipeline, String parameter, Map params, String description) {
        this.pipeline = pipeline
        this.parameter = parameter
        this.params = params
    }

    @Test
    void failsNamingTheParameterBeforeAnythingRuns() {
        jenkinsfile = "jenkinsfiles/${pipeline}.Jenkinsfile"
        String message = runJenkinsfileFailing(params)

        assertTrue("message should name ${parameter}: ${message}".toString(), message.contains(parameter))
        NOT_BEFORE.each { String step ->
            assertEquals("${step} ran before ${parameter} was rejected".toString(), 0, calls(step).size())
        }
        assertEquals(['error'], stepNames())

        assertTrue("message is too long (${message.length()})".toString(), message.length() < 1000)
        message.each { String c -> assertTrue("unescaped character ${(int) c.charAt(0)} in: ${message}".toString(), c == '\n' || (c >= ' ' && c <= '~')) }
        List<String> lines = message.readLines()
        Map of = PIPELINES[pipeline]
        assertEquals("${of.var}: invalid build parameters:".toString(), lines[0])
        String names = ((List) of.parameters).join('|')
        lines.drop(1).each { String line ->
            assertTrue("line does not start with a parameter name: ${line}".toString(), line ==~ /  (${names})\b.*/)
        }
        assertTrue("no line names ${parameter}: ${message}".toString(),
                lines.drop(1).any { of.namedInsideALine ? it.contains(parameter) : it.startsWith("  ${parameter}".toString()) })
        assertJobStatusFailure()
    }
}
