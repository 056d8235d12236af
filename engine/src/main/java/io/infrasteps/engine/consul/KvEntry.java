package io.infrasteps.engine.consul;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** One Consul KV entry: key, value and the indexes used for CAS and blocking queries. */
public final class KvEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final byte[] value;
    private final long createIndex;
    private final long modifyIndex;
    private final String session;

    public KvEntry(String key, byte[] value, long createIndex, long modifyIndex, String session) {
        this.key = key;
        this.value = value == null ? new byte[0] : value.clone();
        this.createIndex = createIndex;
        this.modifyIndex = modifyIndex;
        this.session = session;
    }

    static KvEntry fromBase64(String key, String base64, long createIndex, long modifyIndex, String session) {
        return new KvEntry(key, base64 == null ? new byte[0] : Base64.getDecoder().decode(base64), createIndex, modifyIndex, session);
    }

    public String key() {
        return key;
    }

    public String value() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public long createIndex() {
        return createIndex;
    }

    /** Pass this as {@code cas} to change the entry only if nobody else changed it since. */
    public long modifyIndex() {
        return modifyIndex;
    }

    /** The session holding the entry as a lock, or null. */
    public String session() {
        return session;
    }

    @Override
    public String toString() {
        return key + "@" + modifyIndex;
    }
}
