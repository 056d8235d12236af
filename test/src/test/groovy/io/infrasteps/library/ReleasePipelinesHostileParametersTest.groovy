package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.LibraryTestBase
import org.junit.Test
import org.junit.runner.RunWith
import org.junit.runners.Parameterized
import org.junit.runners.Parameterized.Parameters

/**
 * Hostile values of each build parameter of validate-shards and set-release-ga (the names, shard
 * lists and flags of HostileParametersTest, plus release numbers and minutes): each fails the build
 * with a message naming the parameter, before any node, lock, file or plugin step call, quoting
 * the value escaped and shortened.
 */
@RunWith(Parameterized)
class ReleasePipelinesHostileParametersTest extends LibraryTestBase {

    static final String VALIDATE = 'jenkinsfiles/validate-shards.Jenkinsfile'
    static final String GA = 'jenkinsfiles/set-release-ga.Jenkinsfile'
    static final String ENV = HostileParametersTest.ENV
    static final String SHARD = HostileParametersTest.SHARD

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

    @Parameters(name = '{index}: {0} {1}={3}')
    static Collection<Object[]> cases() {
        List<Object[]> cases = []
        String v = 'validate-shards'
        String g = 'set-release-ga'
        Map shardsMode = [ENVIRONMENT: ENV, SHARDS: SHARD, RELEASE_NUMBER: '', WAIT_MINUTES: '20']
        Map releaseMode = [ENVIRONMENT: ENV, SHARDS: '', RELEASE_NUMBER: '42', WAIT_MINUTES: '20']
        Map ga = [ENVIRONMENT: ENV, RELEASE_NUMBER: '42', FORCE: false]

        HostileParametersTest.HOSTILE_NAMES.each {
            cases << ([v, 'ENVIRONMENT', shardsMode + [ENVIRONMENT: it], describe(it)] as Object[])
            cases << ([g, 'ENVIRONMENT', ga + [ENVIRONMENT: it], describe(it)] as Object[])
        }
        cases << ([v, 'ENVIRONMENT', shardsMode.findAll { it.key != 'ENVIRONMENT' }, 'missing'] as Object[])
        cases << ([g, 'ENVIRONMENT', ga.findAll { it.key != 'ENVIRONMENT' }, 'missing'] as Object[])

        HostileParametersTest.HOSTILE_SHARDS.each {
            cases << ([v, 'SHARDS', shardsMode + [SHARDS: it], describe(it)] as Object[])
        }

        ([''] + HOSTILE_NUMBERS).each {
            cases << ([v, 'RELEASE_NUMBER', releaseMode + [RELEASE_NUMBER: it], describe(it)] as Object[])
            cases << ([g, 'RELEASE_NUMBER', ga + [RELEASE_NUMBER: it], describe(it)] as Object[])
        }
        cases << ([v, 'RELEASE_NUMBER', releaseMode.findAll { it.key != 'RELEASE_NUMBER' }, 'missing'] as Object[])
        cases << ([g, 'RELEASE_NUMBER', ga.findAll { it.key != 'RELEASE_NUMBER' }, 'missing'] as Object[])

        (HOSTILE_NUMBERS + ['241', '1000', 1000]).each {
            cases << ([v, 'WAIT_MINUTES', releaseMode + [WAIT_MINUTES: it], describe(it)] as Object[])
        }

        HostileParametersTest.HOSTILE_FLAGS.each {
            cases << ([g, 'FORCE', ga + [FORCE: it], describe(it)] as Object[])
        }
        return cases
    }

    static String describe(Object value) {
        return HostileParametersTest.describe(value)
    }

    final String pipeline
    final String parameter
    final Map params

    ReleasePipelinesHostileParametersTest(String pipeline, String parameter, Map params, String description) {
        this.pipeline = pipeline
        this.parameter = parameter
        this.params = params
    }

    @Test
    void failsNamingTheParameterBeforeAnythingRuns() {
        jenkinsfile = pipeline == 'validate-shards' ? VALIDATE : GA
        String message = runJenkinsfileFailing(params)

        assertTrue("message should name ${parameter}: ${message}".toString(), message.contains(parameter))
        ['node', 'stage', 'lock', 'setHaproxy', 'haproxyStatus', 'validateShard', 'waitHealthyShards', 'withEnvironmentLock',
         'libraryResource', 'writeFile', 'fileExists', 'readFile'].each { String step ->
            assertEquals("${step} ran before ${parameter} was rejected".toString(), 0, calls(step).size())
        }
        assertEquals(['error'], stepNames())

        assertTrue("message is too long (${message.length()})".toString(), message.length() < 1000)
        message.each { String c -> assertTrue("unescaped character ${(int) c.charAt(0)} in: ${message}".toString(), c == '\n' || (c >= ' ' && c <= '~')) }
        List<String> lines = message.readLines()
        assertEquals("${pipeline == 'validate-shards' ? 'shardValidation' : 'releaseGa'}: invalid build parameters:".toString(), lines[0])
        lines.drop(1).each { String line ->
            assertTrue("line does not start with a parameter name: ${line}".toString(),
                    line ==~ /  (ENVIRONMENT|SHARDS|RELEASE_NUMBER|WAIT_MINUTES|FORCE)\b.*/)
        }
        assertTrue("no line names ${parameter}: ${message}".toString(), lines.drop(1).any { it.contains(parameter) })
        assertJobStatusFailure()
    }
}
