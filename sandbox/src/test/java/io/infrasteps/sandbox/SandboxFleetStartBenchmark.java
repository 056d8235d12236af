package io.infrasteps.sandbox;

/**
 * How long a fleet takes to start (until every server of every proxy is UP) and to stop, for 1
 * and for N proxies. Run on demand, not as a test:
 * <pre>
 * mvn -q -pl sandbox test-compile
 * java -cp sandbox/target/classes:sandbox/target/test-classes io.infrasteps.sandbox.SandboxFleetStartBenchmark 20
 * </pre>
 * A ratio near 1 means proxies start in parallel; N would mean one after another.
 */
public final class SandboxFleetStartBenchmark {
    private static final int ROUNDS = 3;

    private SandboxFleetStartBenchmark() {
    }

    public static void main(String[] args) {
        int proxies = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        measure(1, 1);
        measure(proxies / 2, 2);
        long[] one = measure(1, 1);
        long[] many = measure(proxies / 2, 2);
        System.out.printf("start: 1 proxy %d ms, %d proxies %d ms, ratio %.2f (sequential would be %d)%n",
                one[0], proxies, many[0], (double) many[0] / one[0], proxies);
        System.out.printf("stop:  1 proxy %d ms, %d proxies %d ms%n", one[1], proxies, many[1]);
    }

    /** Best of {@link #ROUNDS} starts and stops of {@code regions} regions with {@code perRegion} proxies each. */
    private static long[] measure(int perRegion, int regions) {
        long bestStart = Long.MAX_VALUE;
        long bestStop = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            SandboxFleet fleet = SandboxFleet.builder()
                    .regions(regions == 1 ? new String[] {"us-ashburn-1"} : new String[] {"us-ashburn-1", "eu-frankfurt-1"})
                    .proxiesPerRegion(perRegion)
                    .start();
            long t1 = System.nanoTime();
            fleet.close();
            long t2 = System.nanoTime();
            bestStart = Math.min(bestStart, (t1 - t0) / 1_000_000);
            bestStop = Math.min(bestStop, (t2 - t1) / 1_000_000);
        }
        return new long[] {bestStart, bestStop};
    }
}
