package io.infrasteps.sandbox.process;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Safety net behind {@code close()}: processes and directories still registered when the JVM
 * exits (a test that forgot to close, a crash in a setup method) are killed and deleted by a
 * shutdown hook, so no sandbox process outlives the build.
 */
public final class Reaper {
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Reaper::reap, "sandbox-reaper"));
    }

    private Reaper() {
    }

    public static void watch(Process process) {
        PROCESSES.add(process);
    }

    public static void forget(Process process) {
        PROCESSES.remove(process);
    }

    public static void watch(Path directory) {
        DIRECTORIES.add(directory);
    }

    public static void forget(Path directory) {
        DIRECTORIES.remove(directory);
    }

    private static void reap() {
        PROCESSES.forEach(Process::destroyForcibly);
        for (Process process : PROCESSES) {
            process.onExit().join();
        }
        DIRECTORIES.forEach(TempDir::deleteQuietly);
    }
}
