package io.infrasteps.sandbox.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildProcessTest {
    @TempDir
    Path dir;

    @Test
    void exitedProcessIsReportedWithItsLogTail() {
        try (ChildProcess child = ChildProcess.start("failing", List.of("/bin/sh", "-c", "echo cannot bind socket; exit 3"),
                dir, dir.resolve("log"))) {
            ProcessExitedException error = assertThrows(ProcessExitedException.class, () ->
                    Poll.until("failing", Duration.ofSeconds(10), () -> {
                        child.requireAlive();
                        return null;
                    }, () -> ""));
            assertTrue(error.getMessage().contains("failing exited with code 3"), error.getMessage());
            assertEquals("cannot bind socket", error.logTail());
        }
    }

    @Test
    void closeStopsTheProcessAndItsChildren() throws IOException {
        ChildProcess child = ChildProcess.start("sleeper", List.of("/bin/sh", "-c", "sleep 600 & sleep 600; wait"), dir, dir.resolve("log"));
        List<ProcessHandle> descendants = Poll.until("sleeper children", Duration.ofSeconds(10), () -> {
            List<ProcessHandle> all = ProcessHandle.of(child.pid()).orElseThrow().descendants().toList();
            return all.size() == 2 ? all : null;
        }, () -> "");
        child.close();
        assertFalse(child.isAlive());
        Poll.until("sleeper children gone", Duration.ofSeconds(10),
                () -> descendants.stream().noneMatch(ChildProcessTest::running) ? Boolean.TRUE : null, descendants::toString);
        assertTrue(Files.exists(child.logFile()));
    }

    @Test
    void pollTimesOutNamingWhatItWaitedForAndTheLastError() {
        AtomicInteger attempts = new AtomicInteger();
        ReadinessException error = assertThrows(ReadinessException.class, () ->
                Poll.until("the thing", Duration.ofMillis(200), () -> {
                    attempts.incrementAndGet();
                    throw new IOException("refused");
                }, () -> "diagnostics here"));
        assertTrue(error.getMessage().startsWith("the thing not ready after 200 ms (last error: java.io.IOException: refused)"),
                error.getMessage());
        assertTrue(error.getMessage().endsWith("diagnostics here"), error.getMessage());
        assertTrue(attempts.get() > 3, "polled " + attempts.get() + " times");
    }

    @Test
    void commandsReportFailuresWithTheirOutput() {
        assertEquals("hi\n", Commands.run(List.of("/bin/echo", "hi"), Duration.ofSeconds(10)));
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> Commands.run(List.of("/bin/sh", "-c", "echo nope; exit 2"), Duration.ofSeconds(10)));
        assertEquals("/bin/sh exited with code 2: nope", error.getMessage());
    }

    /**
     * Killed orphans stay zombies until PID 1 reaps them, which in some containers takes seconds,
     * and {@link ProcessHandle#isAlive()} counts zombies as alive.
     */
    private static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }
}
