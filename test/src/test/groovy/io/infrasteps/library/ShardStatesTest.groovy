package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.FakeSetHaproxyResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.Serialization
import org.junit.Test

/** vars/shardStates.groovy called directly, as other Jenkinsfiles would. */
class ShardStatesTest extends LibraryTestBase {

    static final String ENV = 'prod-example'
    static final String S1 = 'prod-example-us-phoenix-1-s1'
    static final String S2 = 'prod-example-us-phoenix-1-s2'
    static final String S3 = 'prod-example-uk-london-1-s3'

    def shardStates() {
        return globalVar('shardStates')
    }

    @Test
    void applyTakesTheSiteFirstAndNamedArguments() {
        Map site = [site: ENV, regions: ['us-phoenix-1']]
        Map result = shardStates().apply(site, environment: ENV, ready: [S2], drain: "${S1}".toString())

        assertEquals([[site: ENV, regions: ['us-phoenix-1'], shard: S2, state: 'ready', force: false],
                      [site: ENV, regions: ['us-phoenix-1'], shard: S1, state: 'drain', force: false]],
                calls('setHaproxy').collect { it.args })
        assertEquals(['haproxy-state-prod-example'] * 2, calls('setHaproxy').collect { it.lock })
        assertEquals(ENV, result.environment)
        assertEquals('haproxy-state-prod-example', result.lock)
        assertEquals([[shard: S2, state: 'ready', outcome: 'ok', proxies: 2, error: null],
                      [shard: S1, state: 'drain', outcome: 'ok', proxies: 2, error: null]], result.changes)
        assertEquals(result, Serialization.roundTrip(result))
        // Nothing was required from a node: a configured site needs no workspace.
        assertTrue(calls('setHaproxy').every { !it.inNode })
    }

    @Test
    void applyAcceptsTheSiteAsANamedArgumentToo() {
        shardStates().apply(site: [siteFile: 'sites/prod-example.yaml'], environment: ENV, drain: [S1, S3], force: true)
        assertEquals([[S1, true], [S3, true]], calls('setHaproxy').collect { [it.args.shard, it.args.force] })
    }

    @Test
    void theLockNameIsPerEnvironment() {
        assertEquals('haproxy-state-prod-example', shardStates().lockName(ENV))
    }

    @Test
    void aResultWithoutOutcomesIsStillOk() {
        setHaproxyBehaviour = { Map args -> null }
        Map result = shardStates().apply([site: ENV], environment: ENV, ready: [S1])
        assertEquals([[shard: S1, state: 'ready', outcome: 'ok', proxies: null, error: null]], result.changes)
    }

    @Test
    void remoteErrorsAreShortenedToOneLine() {
        setHaproxyBehaviour = { Map args -> throw new IOException("line one\nline two\r\n" + ('z' * 1000)) }
        String message = failing { shardStates().apply([site: ENV], environment: ENV, drain: [S1]) }
        assertTrue(message, message.contains("drain ${S1} (line one line two  zzz"))
        assertTrue(message, message.length() < 500)
        assertEquals(1, message.readLines().size())
    }

    @Test
    void invalidArgumentsFailBeforeTheLock() {
        def vars = shardStates()
        Map cases = [
                "shardStates.apply: unknown argument 'shards'; allowed: site, environment, ready, drain, force":
                        { vars.apply([site: ENV], environment: ENV, shards: [S1]) },
                'shardStates.apply: site must be the Map returned by infraSite(...)':
                        { vars.apply(environment: ENV, ready: [S1]) },
                "shardStates.apply: site has an unknown key 'shard'":
                        { vars.apply([site: ENV, shard: S1], environment: ENV, ready: [S1]) },
                'shardStates.apply: site must have exactly one of site, siteFile or proxies':
                        { vars.apply([site: ENV, siteFile: 'x.yaml'], environment: ENV, ready: [S1]) },
                'shardStates.apply: give the site either as the first argument or as site:, not both':
                        { vars.apply([site: ENV], site: [site: ENV], environment: ENV, ready: [S1]) },
                'shardStates: invalid arguments:\n  shardStates.apply: environment is required':
                        { vars.apply([site: ENV], ready: [S1]) },
                'shardStates: invalid arguments:\n  shardStates.apply: ready: shard \'stage-x-s1\' does not belong to shardStates.apply: environment prod-example':
                        { vars.apply([site: ENV], environment: ENV, ready: ['stage-x-s1']) },
                'shardStates: invalid arguments:\n  shardStates.apply: drain must be shard names':
                        { vars.apply([site: ENV], environment: ENV, drain: [S1, 7]) },
                'shardStates: invalid arguments:\n  shardStates.apply: ready and shardStates.apply: drain are both empty':
                        { vars.apply([site: ENV], environment: ENV, ready: [], drain: '') },
                'shardStates: invalid arguments:\n  shardStates.apply: force must be true or false':
                        { vars.apply([site: ENV], environment: ENV, ready: [S1], force: 'yes') },
        ]
        cases.each { String expected, Closure call ->
            steps.clear()
            String message = failing(call)
            assertTrue("expected '${expected}' in: ${message}".toString(), message.startsWith(expected))
            assertEquals(['error'], stepNames())
        }
    }

    @Test
    void fromParametersReturnsTheValidatedRequest() {
        Map request = shardStates().fromParameters([ENVIRONMENT: ENV, SHARDS_READY: " ${S1},${S2} ", SHARDS_DRAIN: S3, FORCE: true])
        assertEquals([environment: ENV, ready: [S1, S2], drain: [S3], force: true], request)
        assertEquals(request, Serialization.roundTrip(request))
        assertEquals([], stepNames())
    }

    @Test
    void fromParametersWithoutParametersNamesThemAll() {
        String message = failing { shardStates().fromParameters(null) }
        assertTrue(message, message.startsWith('shardStates: invalid build parameters:\n  ENVIRONMENT is required'))
        message = failing { shardStates().fromParameters([ENVIRONMENT: ENV]) }
        assertEquals('shardStates: invalid build parameters:\n  SHARDS_READY and SHARDS_DRAIN are both empty: ' +
                'name at least one shard, e.g. prod-example-us-ashburn-1-s2', message)
    }

    @Test
    void partialFailureResultsAreStillReported() {
        setHaproxyBehaviour = { Map args -> new FakeSetHaproxyResult(['a', 'b', 'c'], args.shard != S2) }
        String message = failing { shardStates().apply([site: ENV], environment: ENV, drain: [S1, S2, S3]) }
        assertEquals("shardStates: 1 of 3 shard changes failed in prod-example: drain ${S2} (3 of 3 proxies did not accept the change)".toString(), message)
        assertTrue(log[0], log[0].contains("drain ${S2}: FAILED: 3 of 3 proxies did not accept the change"))
        assertTrue(log[0], log[0].contains("drain ${S3}: ok on 3 proxies"))
    }
}
