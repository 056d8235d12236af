package io.infrasteps.sandbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the {@code haproxy} executable; /usr/sbin is searched too because it is not on every PATH. */
public final class HaproxyBinary {
    public static final String INSTALL_HINT = "install haproxy: apt-get install -y haproxy";

    private HaproxyBinary() {
    }

    /** The haproxy executable, or an {@link IllegalStateException} saying how to install it. */
    public static Path require() {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "haproxy");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("haproxy not found on PATH, /usr/sbin or /usr/local/sbin; " + INSTALL_HINT);
    }
}
