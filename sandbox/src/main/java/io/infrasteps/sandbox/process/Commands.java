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

/** Runs a short-lived command (ssh-keygen, ...) to completion and returns its output. */
public final class Commands {
    private Commands() {
    }

    /** Runs {@code command} (an argument list) and returns stdout+stderr; fails on a non-zero exit or timeout. */
    public static String run(List<String> command, Duration timeout) {
        String program = command.get(0);
        Path output = null;
        Process process = null;
        try {
            // Output goes to a file so that the timeout holds even if the command never closes its output.
            output = Files.createTempFile("sandbox-command-", ".log");
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Reaper.watch(process);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(program + " did not finish within " + timeout.toMillis() + " ms");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(program + " exited with code " + process.exitValue() + ": " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + program, e);
        } finally {
            if (process != null) {
                process.destroyForcibly().onExit().join();
                Reaper.forget(process);
            }
            if (output != null) {
                TempDir.deleteQuietly(output);
            }
        }
    }
}
