package io.infrasteps.library.test

/** Stand-in for the plugin's waitHealthyShards result: serializable, getShards() lists the healthy shards. */
class FakeWaitResult implements Serializable {
    private static final long serialVersionUID = 1L

    private final ArrayList<Object> shards = []

    /** Shards as names (Strings), or as objects with getShard() or maps with a shard key. */
    FakeWaitResult(List<?> shards) {
        this.shards.addAll(shards)
    }

    List<Object> getShards() {
        return Collections.unmodifiableList(shards)
    }

    /** A healthy shard as an object, for results that list shards with details. */
    static class Healthy implements Serializable {
        private static final long serialVersionUID = 1L
        private final String shard

        Healthy(String shard) {
            this.shard = shard
        }

        String getShard() {
            return shard
        }

        boolean isHealthy() {
            return true
        }
    }
}
