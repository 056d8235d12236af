package io.infrasteps.engine.common;

import java.util.List;

/** The hostile values every parameter is tested with. */
public final class HostileValues {
    private HostileValues() {
    }

    public static List<String> all() {
        return List.of("", "a;b", "a\nb", "../etc", "a b", "x".repeat(10_000), "zürich", "stage\u202Eevil", "a\rb", "a\tb");
    }
}
