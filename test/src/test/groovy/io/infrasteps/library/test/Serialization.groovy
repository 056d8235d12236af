package io.infrasteps.library.test

import static org.junit.Assert.fail

/** Java-serialization checks, as Jenkins applies to everything kept in a Pipeline's program state. */
class Serialization {

    /** Closures are bodies of block steps; Jenkins serializes them as CPS closures, not through here. */
    static Object withoutClosures(Object value) {
        if (value instanceof Closure) {
            return null
        }
        if (value instanceof Map) {
            Map out = new LinkedHashMap()
            value.each { k, v -> out.put(k, withoutClosures(v)) }
            return out
        }
        if (value instanceof Object[]) {
            return ((Object[]) value).collect { withoutClosures(it) }
        }
        return value
    }

    static void assertSerializable(String what, Object value) {
        Object v = withoutClosures(value)
        try {
            ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())
            out.writeObject(v)
            out.close()
        } catch (NotSerializableException e) {
            fail("${what} cannot be saved in the program state: ${e.message} is not serializable (value ${v})")
        }
    }

    /** Serializes and reads back, as a resumed build would see the value. */
    static Object roundTrip(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream()
        new ObjectOutputStream(bytes).withCloseable { it.writeObject(value) }
        return new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject()
    }
}
