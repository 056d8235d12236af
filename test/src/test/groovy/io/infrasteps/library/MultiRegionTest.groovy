package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.PipelineError
import io.infrasteps.library.test.Serialization
import io.infrasteps.library.test.StepFailure
import org.junit.Test

/** vars/multiRegion.groovy: branches named by region, waves of maxParallel, failures, aborts, bad input. */
class MultiRegionTest extends LibraryTestBase {

    static final List<String> THREE = ['us-ashburn-1', 'eu-frankfurt-1', 'uk-london-1']

    /** Regions the body ran for, with the parallel branch it ran in. */
    List<List<String>> ran = []

    def multiRegion() {
        return globalVar('multiRegion')
    }

    /** A body that records its region and branch and returns the region in upper case. */
    Closure recording(Closure behaviour) {
        return { String region ->
            ran.add([region, branchStack ? branchStack.last() : null])
            behaviour.call(region)
            return region.toUpperCase()
        }
    }

    List<List<String>> parallelCalls() {
        return calls('parallel').collect { it.args.branches as List<String> }
    }

    @Test
    void runsTheBodyOncePerRegionInParallelBranchesNamedByRegion() {
        Map outcome = multiRegion().call(THREE, recording({}))

        assertEquals([THREE], parallelCalls())
        assertEquals([false], calls('parallel').collect { it.args.failFast })
        assertEquals(THREE.collect { [it, it] }, ran)
        assertEquals(true, outcome.ok)
        assertEquals([], outcome.failed)
        assertEquals([[region: 'us-ashburn-1', status: 'ok', value: 'US-ASHBURN-1', error: null],
                      [region: 'eu-frankfurt-1', status: 'ok', value: 'EU-FRANKFURT-1', error: null],
                      [region: 'uk-london-1', status: 'ok', value: 'UK-LONDON-1', error: null]], outcome.results)
        assertEquals(outcome, Serialization.roundTrip(outcome))
        assertEquals('multiRegion: 3 regions: 3 ok, 0 failed (at most 3 at once)\n' +
                '  us-ashburn-1    ok\n' +
                '  eu-frankfurt-1  ok\n' +
                '  uk-london-1     ok', log.last())
        assertEquals(['parallel', 'echo'], stepNames())
    }

    @Test
    void eachBranchCapturesItsOwnRegion() {
        Map outcome = multiRegion().call(THREE, [maxParallel: 3]) { String region -> region }
        assertEquals(THREE, outcome.results.collect { it.value })
    }

    @Test
    void maxParallelRunsTheRegionsInWavesInTheOrderGiven() {
        List<String> five = THREE + ['ap-tokyo-1', 'sa-saopaulo-1']
        Map outcome = multiRegion().call(five, [maxParallel: 2], recording({}))

        assertEquals([['us-ashburn-1', 'eu-frankfurt-1'], ['uk-london-1', 'ap-tokyo-1'], ['sa-saopaulo-1']], parallelCalls())
        assertTrue(parallelCalls().every { it.size() <= 2 })
        assertEquals(five, ran.collect { it[0] })
        assertEquals(five, outcome.results.collect { it.region })
        assertTrue(log.last(), log.last().startsWith('multiRegion: 5 regions: 5 ok, 0 failed (at most 2 at once)'))
    }

    @Test
    void maxParallelOfOneRunsOneRegionAtATimeAndMoreThanTheRegionsIsFine() {
        multiRegion().call(THREE, [maxParallel: 1], recording({}))
        assertEquals(THREE.collect { [it] }, parallelCalls())
        steps.clear()
        multiRegion().call(THREE, [maxParallel: '64'], recording({}))
        assertEquals([THREE], parallelCalls())
    }

    @Test
    void namedOptionsMayComeFirstAndRegionsMayBeAString() {
        Map outcome = multiRegion().call([maxParallel: 1], 'us-ashburn-1, eu-frankfurt-1 uk-london-1', recording({}))
        assertEquals(THREE.collect { [it] }, parallelCalls())
        assertEquals(THREE, outcome.results.collect { it.region })
    }

    @Test
    void aFailingRegionDoesNotStopTheOthersAndTheBuildFailsNamingIt() {
        Closure body = recording({ String region ->
            if (region == 'eu-frankfurt-1') {
                throw new StepFailure('haproxyStatus: 1 of 1 proxies unreachable:\nhaproxy-a: connection refused')
            }
        })
        String message = failing { multiRegion().call(THREE, [title: 'HAProxy status in stage-example'], body) }

        assertEquals(THREE, ran.collect { it[0] })
        assertEquals('multiRegion: HAProxy status in stage-example: 1 of 3 regions failed: ' +
                'eu-frankfurt-1 (haproxyStatus: 1 of 1 proxies unreachable: haproxy-a: connection refused)', message)
        assertEquals('HAProxy status in stage-example: 3 regions: 2 ok, 1 failed (at most 3 at once)\n' +
                '  us-ashburn-1    ok\n' +
                '  eu-frankfurt-1  FAILED: haproxyStatus: 1 of 1 proxies unreachable: haproxy-a: connection refused\n' +
                '  uk-london-1     ok', log.last())
        assertEquals(['parallel', 'echo', 'error'], stepNames())
    }

    @Test
    void everyFailedRegionIsNamedAndFailuresInEveryWaveAreReported() {
        Closure body = recording({ String region -> if (region != 'uk-london-1') { throw new IOException("${region} broke") } })
        String message = failing { multiRegion().call(THREE, [maxParallel: 1], body) }
        assertEquals('multiRegion: 2 of 3 regions failed: us-ashburn-1 (us-ashburn-1 broke); eu-frankfurt-1 (eu-frankfurt-1 broke)', message)
        assertEquals(3, parallelCalls().size())
    }

    @Test
    void tolerateFailuresReturnsTheResultsWithoutFailing() {
        Closure body = recording({ String region -> if (region == 'uk-london-1') { throw new PipelineError('no site for uk-london-1') } })
        Map outcome = multiRegion().call(THREE, [tolerateFailures: true], body)

        assertFalse(outcome.ok)
        assertEquals(['uk-london-1'], outcome.failed)
        assertEquals([region: 'uk-london-1', status: 'failed', value: null, error: 'no site for uk-london-1'], outcome.results[2])
        assertEquals(['parallel', 'echo'], stepNames())
        assertTrue(log.last(), log.last().contains('uk-london-1     FAILED: no site for uk-london-1'))
        assertJobStatusSuccess()
    }

    @Test
    void failFastStopsTheWaveAndLaterWavesDoNotStart() {
        List<String> four = THREE + ['ap-tokyo-1']
        Closure body = recording({ String region -> if (region == 'us-ashburn-1') { throw new IOException('refused') } })
        String message = failing { multiRegion().call(four, [maxParallel: 3, failFast: true], body) }

        assertEquals([['us-ashburn-1', 'eu-frankfurt-1', 'uk-london-1']], parallelCalls())
        assertEquals([true], calls('parallel').collect { it.args.failFast })
        assertEquals(['us-ashburn-1'], ran.collect { it[0] })
        assertEquals('multiRegion: 1 of 4 regions failed: us-ashburn-1 (refused). ' +
                'Aborted or not run: eu-frankfurt-1, uk-london-1, ap-tokyo-1', message)
        String summary = log.last()
        assertTrue(summary, summary.startsWith('multiRegion: 4 regions: 0 ok, 1 failed, 3 not run (at most 3 at once, fail fast)'))
        assertTrue(summary, summary.contains('  ap-tokyo-1      not run: not started: another region failed (failFast)'))
    }

    @Test
    void failFastWithoutFailuresRunsEveryWave() {
        Map outcome = multiRegion().call(THREE, [maxParallel: 2, failFast: 'true'], recording({}))
        assertEquals([['us-ashburn-1', 'eu-frankfurt-1'], ['uk-london-1']], parallelCalls())
        assertTrue(outcome.ok)
    }

    @Test
    void anAbortStopsAtOnceAfterPrintingTheSummary() {
        Closure body = recording({ String region -> if (region == 'eu-frankfurt-1') { throw new InterruptedException('aborted by a user') } })
        try {
            multiRegion().call(THREE, [maxParallel: 1], body)
            fail('the abort should propagate')
        } catch (InterruptedException expected) {
            assertEquals('aborted by a user', expected.message)
        }
        assertEquals(['us-ashburn-1', 'eu-frankfurt-1'], ran.collect { it[0] })
        assertTrue(calls('error').isEmpty())
        String summary = log.last()
        assertTrue(summary, summary.contains('eu-frankfurt-1  aborted: stopped: the build was aborted'))
        assertTrue(summary, summary.contains('uk-london-1     not run: not started: the build was aborted'))
    }

    @Test
    void hostileRegionsFailNamingTheArgumentBeforeAnyBranch() {
        List<Object> hostile = [[], '', ' ', ',', null, 42, [null], [''], [' '], ['us-ashburn-1', 'us-ashburn-1'],
                                ['../x'], ['us-ashburn-1;id'], ['us-ashburn-1\neu-frankfurt-1'], 'us-ashburn-1\r\n[Pipeline] echo forged',
                                ['US-ASHBURN-1'], ['failFast'], ['r\u00e9gion'], ['us-\u0430shburn-1'], ['x' * 64], ['x' * 10000],
                                (1..65).collect { "r${it}".toString() }, [['us-ashburn-1']], [1], ['$(id)'], ['-x'], [a: 'b']]
        hostile.each { Object regions ->
            steps.clear()
            String message = failing { multiRegion().call(regions, recording({})) }
            assertTrue("${regions}: ${message}".toString(), message.startsWith('multiRegion: regions '))
            assertTrue(message, message.length() < 400)
            message.each { String c -> assertTrue(message, c >= ' ' && c <= '~') }
            assertEquals(['error'], stepNames())
        }
        assertTrue(ran.isEmpty())
    }

    @Test
    void hostileOptionsFailNamingTheOption() {
        Map<Map, String> cases = [
                [maxParallel: 0]               : 'multiRegion: maxParallel must be the most regions run at once: a whole number from 1 to 64',
                [maxParallel: -1]              : 'multiRegion: maxParallel must be',
                [maxParallel: 65]              : 'multiRegion: maxParallel must be',
                [maxParallel: '2x']            : 'multiRegion: maxParallel must be',
                [maxParallel: '02']            : 'multiRegion: maxParallel must be',
                [maxParallel: 2.5]             : 'multiRegion: maxParallel must be',
                [maxParallel: true]            : 'multiRegion: maxParallel must be',
                [failFast: 'yes']              : "multiRegion: failFast must be true or false; got 'yes'",
                [tolerateFailures: 1]          : 'multiRegion: tolerateFailures must be true or false',
                [title: 'a\nb']                : 'multiRegion: title must be a title matching',
                [title: '']                    : 'multiRegion: title is required',
                [title: 'x' * 101]             : 'multiRegion: title must be a title matching',
                [parallelism: 2]               : "multiRegion: unknown argument 'parallelism'; allowed: failFast, maxParallel, tolerateFailures, title",
        ]
        cases.each { Map options, String expected ->
            steps.clear()
            String message = failing { multiRegion().call(THREE, options, recording({})) }
            assertTrue("${options}: ${message}".toString(), message.startsWith(expected))
            assertEquals(['error'], stepNames())
        }
        String message = failing { multiRegion().call(THREE, 'fast', recording({})) }
        assertEquals('multiRegion: options must be a map, e.g. [maxParallel: 2, failFast: false]; got a value of type String', message)
        assertTrue(ran.isEmpty())
    }
}
