package io.infrasteps.engine.consul;

/**
 * A read result with the {@code X-Consul-Index} it was read at, to pass to the next blocking
 * query. {@code value} is null for a missing key.
 */
public final class Indexed<T> {
    private final T value;
    private final long index;

    public Indexed(T value, long index) {
        this.value = value;
        this.index = index;
    }

    public T value() {
        return value;
    }

    public long index() {
        return index;
    }
}
