package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.LibraryTestBase
import org.junit.Test
import org.junit.runner.RunWith
import org.junit.runners.Parameterized
import org.junit.runners.Parameterized.Parameters

/**
 * Hostile values of each build parameter of reconfigure-haproxy and monitor-haproxy: each fails the
 * build with a message naming the parameter, before any node, lock, file or plugin step call (the
 * site file is not read either), quoting the value escaped and shortened.
 */
@RunWith(Parameterized)
class HaproxyPipelinesHostileParametersTest extends LibraryTestBase {

    static final String RECONFIGURE = 'jenkinsfiles/reconfigure-haproxy.Jenkinsfile'
    static final String MONITOR = 'jenkinsfiles/monitor-haproxy.Jenkinsfile'
    static final String ENV = HostileParametersTest.ENV
    static final String SERVER = HostileParametersTest.SHARD

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

    @Parameters(name = '{index}: {0} {1}={3}')
    static Collection<Object[]> cases() {
        List<Object[]> cases = []
        String r = 'reconfigure-haproxy'
        String m = 'monitor-haproxy'
        Map server = [ENVIRONMENT: ENV, BACKEND: 'release-42', SERVER: SERVER, STATE: 'drain', WEIGHT: '', HEALTH: 'unchanged',
                      REGIONS: 'all', FORCE: false]
        Map health = [ENVIRONMENT: ENV, BACKEND: '', SERVER: '', STATE: 'unchanged', WEIGHT: '', HEALTH: 'down', REGIONS: 'all', FORCE: false]
        Map monitor = [ENVIRONMENT: ENV, REGIONS: 'all']

        HostileParametersTest.HOSTILE_NAMES.each {
            cases << ([r, 'ENVIRONMENT', server + [ENVIRONMENT: it], describe(it)] as Object[])
            cases << ([m, 'ENVIRONMENT', monitor + [ENVIRONMENT: it], describe(it)] as Object[])
        }
        cases << ([r, 'ENVIRONMENT', server.findAll { it.key != 'ENVIRONMENT' }, 'missing'] as Object[])
        cases << ([m, 'ENVIRONMENT', monitor.findAll { it.key != 'ENVIRONMENT' }, 'missing'] as Object[])
        HOSTILE_SERVER_NAMES.each {
            cases << ([r, 'BACKEND', server + [BACKEND: it], describe(it)] as Object[])
            cases << ([r, 'SERVER', server + [SERVER: it], describe(it)] as Object[])
        }
        HOSTILE_STATES.each { cases << ([r, 'STATE', server + [STATE: it], describe(it)] as Object[]) }
        HOSTILE_WEIGHTS.each { cases << ([r, 'WEIGHT', server + [WEIGHT: it], describe(it)] as Object[]) }
        HOSTILE_HEALTH.each { cases << ([r, 'HEALTH', health + [HEALTH: it], describe(it)] as Object[]) }
        HOSTILE_REGIONS.each {
            cases << ([r, 'REGIONS', server + [REGIONS: it], describe(it)] as Object[])
            cases << ([m, 'REGIONS', monitor + [REGIONS: it], describe(it)] as Object[])
        }
        HostileParametersTest.HOSTILE_FLAGS.each { cases << ([r, 'FORCE', server + [FORCE: it], describe(it)] as Object[]) }
        return cases
    }

    static String describe(Object value) {
        return HostileParametersTest.describe(value)
    }

    final String pipeline
    final String parameter
    final Map params

    HaproxyPipelinesHostileParametersTest(String pipeline, String parameter, Map params, String description) {
        this.pipeline = pipeline
        this.parameter = parameter
        this.params = params
    }

    @Test
    void failsNamingTheParameterBeforeAnythingRuns() {
        jenkinsfile = pipeline == 'reconfigure-haproxy' ? RECONFIGURE : MONITOR
        String message = runJenkinsfileFailing(params)

        assertTrue("message should name ${parameter}: ${message}".toString(), message.contains(parameter))
        assertEquals(['error'], stepNames())

        assertTrue("message is too long (${message.length()})".toString(), message.length() < 1000)
        message.each { String c -> assertTrue("unescaped character ${(int) c.charAt(0)} in: ${message}".toString(), c == '\n' || (c >= ' ' && c <= '~')) }
        List<String> lines = message.readLines()
        assertEquals("${pipeline == 'reconfigure-haproxy' ? 'haproxyChange' : 'haproxyMonitor'}: invalid build parameters:".toString(), lines[0])
        lines.drop(1).each { String line ->
            assertTrue("line does not start with a parameter name: ${line}".toString(),
                    line ==~ /  (ENVIRONMENT|BACKEND|SERVER|STATE|WEIGHT|HEALTH|REGIONS|FORCE)\b.*/)
        }
        assertTrue("no line names ${parameter}: ${message}".toString(), lines.drop(1).any { it.startsWith("  ${parameter}".toString()) })
        assertJobStatusFailure()
    }
}
