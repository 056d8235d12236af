package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.InvalidInputException;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import java.io.IOException;
import java.io.StringReader;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepts a server only if its host key matches a known_hosts entry for the host and port we
 * dialled. Entries come from text (a site or step parameter), not from ~/.ssh, so a build never
 * depends on an agent's state and never learns keys on first use.
 */
final class KnownHostsVerifier implements ServerKeyVerifier {
    private final List<KnownHostEntry> entries;
    private final String host;
    private final int port;
    private volatile String rejection;

    KnownHostsVerifier(String knownHosts, String host, int port) {
        try {
            this.entries = new ArrayList<>(KnownHostEntry.readKnownHostEntries(new java.io.BufferedReader(new StringReader(knownHosts))));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("knownHosts", "could not be read", "known_hosts lines as ssh-keyscan prints them");
        }
        this.host = host;
        this.port = port;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        boolean hostListed = false;
        for (KnownHostEntry entry : entries) {
            if (!entry.isHostMatch(host, port)) {
                continue;
            }
            hostListed = true;
            try {
                PublicKey known = entry.getKeyEntry().resolvePublicKey(session, PublicKeyEntryResolver.IGNORING);
                if (known != null && KeyUtils.compareKeys(known, serverKey)) {
                    return true;
                }
            } catch (IOException | GeneralSecurityException e) {
                // an unreadable entry cannot vouch for the server; keep looking
            }
        }
        rejection = hostListed
                ? "host key of " + host + ":" + port + " (" + KeyUtils.getFingerPrint(serverKey) + ") does not match known_hosts: possible man-in-the-middle or re-keyed host"
                : "no known_hosts entry for " + (port == 22 ? host : "[" + host + "]:" + port) + " (add the line ssh-keyscan -p " + port + " " + host + " prints)";
        return false;
    }

    /** Why the last verification failed, or null. */
    String rejection() {
        return rejection;
    }
}
