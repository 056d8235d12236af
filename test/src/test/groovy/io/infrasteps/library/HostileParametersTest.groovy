package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.LibraryTestBase
import org.junit.Test
import org.junit.runner.RunWith
import org.junit.runners.Parameterized
import org.junit.runners.Parameterized.Parameters

/**
 * Hostile values of each build parameter of reconfigure-shard-states: each fails the build with a
 * message naming the parameter, before any node, lock, file or setHaproxy call. The message quotes
 * the value escaped and shortened, so it cannot flood the log or forge log lines.
 */
@RunWith(Parameterized)
class HostileParametersTest extends LibraryTestBase {

    static final String ENV = 'stage-example'
    static final String SHARD = 'stage-example-us-ashburn-1-s1'
    static final String OTHER = 'stage-example-us-ashburn-1-s2'

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
            'stagé-example',
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
            "stage-example-üs-ashburn-1-s1",
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

    static final List<Object> HOSTILE_FLAGS = ['yes', '1', ';', 'true\n', 'TRUE', ' true', 'x' * 10000, 1]

    @Parameters(name = '{index}: {0}={2}')
    static Collection<Object[]> cases() {
        List<Object[]> cases = []
        Map valid = [ENVIRONMENT: ENV, SHARDS_READY: OTHER, SHARDS_DRAIN: SHARD, FORCE: false]
        HOSTILE_NAMES.each { cases << (['ENVIRONMENT', valid + [ENVIRONMENT: it], describe(it)] as Object[]) }
        cases << (['ENVIRONMENT', valid.findAll { it.key != 'ENVIRONMENT' }, 'missing'] as Object[])
        HOSTILE_SHARDS.each {
            cases << (['SHARDS_READY', valid + [SHARDS_READY: it, SHARDS_DRAIN: ''], describe(it)] as Object[])
            cases << (['SHARDS_DRAIN', valid + [SHARDS_READY: '', SHARDS_DRAIN: it], describe(it)] as Object[])
        }
        HOSTILE_FLAGS.each { cases << (['FORCE', valid + [FORCE: it], describe(it)] as Object[]) }
        return cases
    }

    /** A short printable name for the test report. */
    static String describe(Object value) {
        String s = String.valueOf(value)
        String shown = s.take(24).toCharArray().collect { char c -> c < 32 || c > 126 ? String.format('\\u%04x', (int) c) : String.valueOf(c) }.join('')
        return s.length() > 24 ? "${shown}...(${s.length()} chars)" : (s.isEmpty() ? '(empty)' : shown)
    }

    final String parameter
    final Map params

    HostileParametersTest(String parameter, Map params, String description) {
        this.parameter = parameter
        this.params = params
    }

    @Test
    void failsNamingTheParameterBeforeAnythingRuns() {
        String message = runJenkinsfileFailing(params)

        assertTrue("message should name ${parameter}: ${message}".toString(), message.contains(parameter))
        ['node', 'stage', 'lock', 'setHaproxy', 'haproxyStatus', 'libraryResource', 'writeFile', 'fileExists', 'readFile'].each { String step ->
            assertEquals("${step} ran before ${parameter} was rejected".toString(), 0, calls(step).size())
        }
        assertEquals(['error'], stepNames())

        // Printable ASCII only; newlines only where the message starts a new problem line.
        assertTrue("message is too long (${message.length()})".toString(), message.length() < 1000)
        message.each { String c -> assertTrue("unescaped character ${(int) c.charAt(0)} in: ${message}".toString(), c == '\n' || (c >= ' ' && c <= '~')) }
        message.readLines().drop(1).each { String line ->
            assertTrue("line does not start with a parameter name: ${line}".toString(), line ==~ /  (ENVIRONMENT|SHARDS_READY|SHARDS_DRAIN|FORCE)\b.*/)
        }
        assertJobStatusFailure()
    }
}
