package io.infrasteps.sandbox.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running child process (haproxy, sshd) with stdout and stderr appended to a log file,
 * registered with the {@link Reaper} until it has exited.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command} (an argument list, never a shell string) in {@code workDir}. */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process process = builder.start();
            Reaper.watch(process);
            return new ChildProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Throws {@link ProcessExitedException} if the process has exited; used inside readiness probes. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new ProcessExitedException(name, process.exitValue(), logTail(40));
        }
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Sends SIGTERM without waiting, so that many processes can stop at the same time. */
    public void requestStop() {
        process.destroy();
    }

    /** SIGKILL, then waits for the exit: simulates a crashed process. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(GRACE);
    }

    /**
     * SIGTERM, a bounded grace period, then SIGKILL. Descendants (sshd's per-connection
     * processes) are killed too: they would outlive a listener that exits.
     */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        requestStop();
        if (!awaitExit(GRACE)) {
            kill();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private boolean awaitExit(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                Reaper.forget(process);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
