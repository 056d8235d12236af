package io.infrasteps.sandbox.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks free TCP ports on 127.0.0.1 for child processes that must be told their port up front.
 * A port is only free at the moment it is picked, so callers retry with fresh ports when a
 * child reports "Address already in use" (other builds share this machine).
 */
public final class LoopbackPorts {
    /** Ports already handed out by this JVM: the kernel may offer a just-closed port again. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    public static int pick() {
        while (true) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
    }
}
