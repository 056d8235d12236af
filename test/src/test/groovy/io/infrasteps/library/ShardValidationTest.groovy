package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.FakeValidationResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.Serialization
import org.junit.Test

/** vars/shardValidation.groovy called directly, as other Jenkinsfiles would. */
class ShardValidationTest extends LibraryTestBase {

    static final String ENV = 'prod-example'
    static final String S1 = 'prod-example-us-phoenix-1-s1'
    static final String S2 = 'prod-example-us-phoenix-1-s2'
    static final String S3 = 'prod-example-uk-london-1-s3'

    def shardValidation() {
        return globalVar('shardValidation')
    }

    @Test
    void validateTakesTheSiteFirstAndNamedArguments() {
        Map site = [site: ENV, regions: ['us-phoenix-1']]
        Map result = shardValidation().validate(site, environment: ENV, shards: "${S1},${S2}".toString())

        assertEquals([[site: ENV, regions: ['us-phoenix-1'], shards: [S1, S2], tolerateFailures: true]],
                calls('validateShard').collect { it.args })
        assertTrue('a configured site needs no node', calls('validateShard').every { !it.inNode && it.lock == null })
        assertEquals(ENV, result.environment)
        assertEquals(null, result.release)
        assertEquals([S1, S2], result.shards)
        assertEquals([shard: S1, passed: true, checks: [[name: 'consul', ok: true, reason: 'consul fine'],
                                                        [name: 'sidecar', ok: true, reason: 'sidecar fine'],
                                                        [name: 'haproxy', ok: true, reason: 'haproxy fine'],
                                                        [name: 'state', ok: true, reason: 'state fine']]], result.reports[0])
        // Only plain lists and maps are kept and returned.
        assertEquals(result, Serialization.roundTrip(result))
        assertEquals(LinkedHashMap, result.reports[0].getClass())
    }

    @Test
    void validateAcceptsTheSiteAsANamedArgumentAndAReleaseAsANumber() {
        releaseShards = [S1, S3]
        Map result = shardValidation().validate(site: [siteFile: 'sites/prod-example.yaml'], environment: ENV, release: 12, waitMinutes: 5)
        assertEquals([siteFile: 'sites/prod-example.yaml', release: 12, timeoutMinutes: 5], calls('waitHealthyShards')[0].args)
        assertEquals([S1, S3], calls('validateShard')[0].args.shards)
        assertEquals(12, result.release)
        assertEquals([S1, S3], result.shards)
    }

    @Test
    void aFailureIsReportedAfterTheWholeTable() {
        validateShardBehaviour = { Map args -> FakeValidationResult.of(args.shards as List, [(S2): [state: 'no shard-states/prod-example/' + S2]]) }
        String message = failing { shardValidation().validate([site: ENV], environment: ENV, shards: [S1, S2, S3]) }
        assertEquals("shardValidation: 1 of 3 shards failed validation in prod-example: ${S2} (state: no shard-states/prod-example/${S2})".toString(), message)
        assertEquals(['validateShard', 'echo', 'error'], stepNames())
        assertTrue(log[0], log[0].contains("${S2}  FAILED  ok      ok       ok       FAILED"))
    }

    @Test
    void checksOnlySomeShardsRanAreShownAsDashes() {
        validateShardBehaviour = { Map args ->
            new FakeValidationResult([new FakeValidationResult.Shard(S1, [new FakeValidationResult.Check('consul', false, 'not registered')]),
                                      new FakeValidationResult.Shard(S2, [new FakeValidationResult.Check('consul', true, 'ok'),
                                                                          new FakeValidationResult.Check('sidecar', true, 'report healthy')])])
        }
        failing { shardValidation().validate([site: ENV], environment: ENV, shards: [S1, S2]) }
        assertEquals('Shard validation in prod-example: 2 shards, 1 passed, 1 failed\n' +
                '  shard                         result  consul  sidecar\n' +
                "  ${S1}  FAILED  FAILED  -\n" +
                "  ${S2}  passed  ok      ok\n" +
                "  ${S1} consul: not registered", log[0])
    }

    @Test
    void invalidArgumentsFailBeforeAnyStep() {
        def vars = shardValidation()
        Map cases = [
                "shardValidation.validate: unknown argument 'ready'; allowed: site, environment, shards, release, waitMinutes":
                        { vars.validate([site: ENV], environment: ENV, ready: [S1]) },
                'shardValidation.validate: site must be the Map returned by infraSite(...)':
                        { vars.validate(environment: ENV, shards: [S1]) },
                'shardValidation.validate: site must name a site (infraSite(\'<name>\'), file: or configured:), not bare proxies':
                        { vars.validate([proxies: ['tcp://127.0.0.1:9999']], environment: ENV, shards: [S1]) },
                'shardValidation.validate: give the site either as the first argument or as site:, not both':
                        { vars.validate([site: ENV], site: [site: ENV], environment: ENV, shards: [S1]) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: environment is required':
                        { vars.validate([site: ENV], shards: [S1]) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: shards: shard \'stage-x-s1\' does not belong to shardValidation.validate: environment prod-example':
                        { vars.validate([site: ENV], environment: ENV, shards: ['stage-x-s1']) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: release must be a release number':
                        { vars.validate([site: ENV], environment: ENV, release: -3) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: waitMinutes must be minutes to wait for healthy shards: a whole number from 1 to 240':
                        { vars.validate([site: ENV], environment: ENV, release: 3, waitMinutes: 0) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: shards and shardValidation.validate: release are both given':
                        { vars.validate([site: ENV], environment: ENV, shards: [S1], release: 3) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: shards and shardValidation.validate: release are both empty':
                        { vars.validate([site: ENV], environment: ENV, shards: []) },
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
        Map request = shardValidation().fromParameters([ENVIRONMENT: ENV, SHARDS: " ${S1},${S2} ${S1}", RELEASE_NUMBER: '', WAIT_MINUTES: ''])
        assertEquals([environment: ENV, shards: [S1, S2], release: null, waitMinutes: 20], request)
        assertEquals(request, Serialization.roundTrip(request))
        request = shardValidation().fromParameters([ENVIRONMENT: ENV, RELEASE_NUMBER: '120', WAIT_MINUTES: '90'])
        assertEquals([environment: ENV, shards: [], release: 120, waitMinutes: 90], request)
        assertEquals([], stepNames())
    }

    @Test
    void fromParametersWithoutParametersNamesThem() {
        String message = failing { shardValidation().fromParameters(null) }
        assertEquals('shardValidation: invalid build parameters:\n  ENVIRONMENT is required: a name matching [a-z0-9][a-z0-9-]{0,62} ' +
                "(lower-case ASCII letters, digits and '-', starting with a letter or digit, 1 to 63 characters)", message)
    }
}
