package io.infrasteps.engine.consul;

import io.infrasteps.engine.common.Cancellation;

/**
 * Compare-and-set writes that never silently overwrite a concurrent change: read the entry,
 * write with {@code cas=<modifyIndex>}, and on a CAS miss re-read. If the value already is the
 * wanted one (our earlier attempt landed, or someone wrote the same), that is success;
 * otherwise try again a few times, then report the conflict.
 */
public final class KvWrites {
    private static final int ATTEMPTS = 5;

    private KvWrites() {
    }

    /** Outcome of a CAS write: whether it changed anything, and the value before. */
    public static final class Written {
        private final boolean changed;
        private final String before;

        Written(boolean changed, String before) {
            this.changed = changed;
            this.before = before;
        }

        public boolean changed() {
            return changed;
        }

        /** The previous value, or null when the key did not exist. */
        public String before() {
            return before;
        }
    }

    public static Written casPut(ConsulClient consul, String dc, String key, String value, Cancellation cancellation) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            KvEntry current = consul.get(dc, key, 0, null, cancellation).value();
            if (current != null && value.equals(current.value())) {
                return new Written(false, current.value());
            }
            long cas = current == null ? 0 : current.modifyIndex();
            if (consul.put(dc, key, value, cas, cancellation)) {
                return new Written(true, current == null ? null : current.value());
            }
        }
        throw new ConsulException("consul (datacenter " + dc + ") key " + key + ": compare-and-set lost to concurrent writers "
                + ATTEMPTS + " times; not overwritten", 409, null);
    }
}
