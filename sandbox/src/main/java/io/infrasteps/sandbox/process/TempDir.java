package io.infrasteps.sandbox.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A private temporary directory, deleted with everything in it on close (or at JVM exit). */
public final class TempDir implements AutoCloseable {
    private final Path path;

    private TempDir(Path path) {
        this.path = path;
    }

    public static TempDir create(String prefix) {
        try {
            Path path = Files.createTempDirectory(prefix).toAbsolutePath();
            Reaper.watch(path);
            return new TempDir(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory " + prefix + "*", e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        deleteQuietly(path);
        Reaper.forget(path);
    }

    static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover file in /tmp must not fail a test that otherwise passed.
        }
    }
}
