package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.Serialization
import org.junit.Test

/** vars/releaseGa.groovy called directly, as other Jenkinsfiles would. */
class ReleaseGaTest extends LibraryTestBase {

    static final String ENV = 'prod-example'

    def releaseGa() {
        return globalVar('releaseGa')
    }

    @Test
    void setTakesTheSiteFirstAndNamedArguments() {
        Map result = releaseGa().set([site: ENV], environment: ENV, release: 12)

        assertEquals([[site: ENV, liveRelease: 12, force: false]], calls('setHaproxy').collect { it.args })
        assertEquals(['lock', 'echo', 'setHaproxy', 'echo'], stepNames())
        assertEquals('haproxy-state-prod-example', calls('setHaproxy')[0].lock)
        assertTrue('a configured site needs no node', !calls('setHaproxy')[0].inNode)
        assertEquals(ENV, result.environment)
        assertEquals(12, result.release)
        assertEquals('haproxy-state-prod-example', result.lock)
        assertEquals(true, result.ok)
        assertEquals([operation: 'set state', proxy: 'haproxy-a', region: 'us-ashburn-1', result: 'changed', message: ''], result.outcomes[0])
        assertEquals(result, Serialization.roundTrip(result))
    }

    @Test
    void setAcceptsTheSiteAsANamedArgumentAndTheReleaseAsText() {
        releaseGa().set(site: [siteFile: 'sites/prod-example.yaml'], environment: ENV, release: '7', force: true)
        assertEquals([[siteFile: 'sites/prod-example.yaml', liveRelease: 7, force: true]], calls('setHaproxy').collect { it.args })
    }

    @Test
    void theLockIsTheOneShardStatesTakes() {
        assertEquals('haproxy-state-prod-example', releaseGa().lockName(ENV))
        assertEquals(globalVar('shardStates').lockName(ENV), releaseGa().lockName(ENV))
    }

    @Test
    void invalidArgumentsFailBeforeTheLock() {
        def vars = releaseGa()
        Map cases = [
                "releaseGa.set: unknown argument 'liveRelease'; allowed: site, environment, release, force":
                        { vars.set([site: ENV], environment: ENV, liveRelease: 3) },
                'releaseGa.set: site must be the Map returned by infraSite(...)':
                        { vars.set(environment: ENV, release: 3) },
                "releaseGa.set: site must not restrict regions (got regions 'us-phoenix-1')":
                        { vars.set([site: ENV, regions: ['us-phoenix-1']], environment: ENV, release: 3) },
                'releaseGa.set: site must name a site':
                        { vars.set([proxies: ['tcp://127.0.0.1:9999']], environment: ENV, release: 3) },
                'releaseGa.set: give the site either as the first argument or as site:, not both':
                        { vars.set([site: ENV], site: [site: ENV], environment: ENV, release: 3) },
                'releaseGa: invalid arguments:\n  releaseGa.set: environment is required':
                        { vars.set([site: ENV], release: 3) },
                'releaseGa: invalid arguments:\n  releaseGa.set: release is required':
                        { vars.set([site: ENV], environment: ENV) },
                'releaseGa: invalid arguments:\n  releaseGa.set: release must be a release number: a whole number from 1 to 999999999 (ASCII digits only, no sign, spaces or leading zeros); got 0':
                        { vars.set([site: ENV], environment: ENV, release: 0) },
                'releaseGa: invalid arguments:\n  releaseGa.set: release must be a release number: a whole number from 1 to 999999999 (ASCII digits only, no sign, spaces or leading zeros); got a value of type Double':
                        { vars.set([site: ENV], environment: ENV, release: 1.5d) },
                'releaseGa: invalid arguments:\n  releaseGa.set: force must be true or false':
                        { vars.set([site: ENV], environment: ENV, release: 3, force: 'yes') },
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
        Map request = releaseGa().fromParameters([ENVIRONMENT: ENV, RELEASE_NUMBER: '42', FORCE: 'true'])
        assertEquals([environment: ENV, release: 42, force: true], request)
        assertEquals(request, Serialization.roundTrip(request))
        assertEquals([environment: ENV, release: 3, force: false], releaseGa().fromParameters([ENVIRONMENT: ENV, RELEASE_NUMBER: '3']))
        assertEquals([], stepNames())
    }

    @Test
    void fromParametersWithoutParametersNamesThemAll() {
        String message = failing { releaseGa().fromParameters(null) }
        List<String> lines = message.readLines()
        assertEquals('releaseGa: invalid build parameters:', lines[0])
        assertEquals(['ENVIRONMENT', 'RELEASE_NUMBER'], lines.drop(1).collect { it.trim().split(' ')[0] })
    }
}
