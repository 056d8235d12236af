package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Inputs;

/**
 * One HAProxy runtime API command. Built only through the factories below, from validated
 * names, so no value can smuggle a ';' or newline that would start a second command.
 */
public final class RuntimeCommand {
    private final String text;

    private RuntimeCommand(String text) {
        this.text = text;
    }

    public static RuntimeCommand showStat() {
        return new RuntimeCommand("show stat");
    }

    public static RuntimeCommand showServersState() {
        return new RuntimeCommand("show servers state");
    }

    public static RuntimeCommand showInfo() {
        return new RuntimeCommand("show info");
    }

    public static RuntimeCommand setServerState(String backend, String server, ServerState state) {
        return new RuntimeCommand("set server " + name("backend", backend) + "/" + name("server", server) + " state " + state.keyword());
    }

    public static RuntimeCommand setWeight(String backend, String server, int weight) {
        Inputs.range("weight", weight, 0, 256);
        return new RuntimeCommand("set server " + name("backend", backend) + "/" + name("server", server) + " weight " + weight);
    }

    public static RuntimeCommand getWeight(String backend, String server) {
        return new RuntimeCommand("get weight " + name("backend", backend) + "/" + name("server", server));
    }

    public static RuntimeCommand showMap(String mapPath) {
        return new RuntimeCommand("show map " + Inputs.absolutePath("map", mapPath));
    }

    /** Starts a new, empty version of a map; the reply names the version. */
    public static RuntimeCommand prepareMap(String mapPath) {
        return new RuntimeCommand("prepare map " + Inputs.absolutePath("map", mapPath));
    }

    public static RuntimeCommand addMapEntry(int version, String mapPath, String key, String value) {
        return new RuntimeCommand("add map @" + Inputs.range("map version", version, 0, Integer.MAX_VALUE) + " "
                + Inputs.absolutePath("map", mapPath) + " " + Inputs.require("key", key, Inputs.MAP_TOKEN)
                + " " + Inputs.require("value", value, Inputs.MAP_TOKEN));
    }

    /** Atomically replaces the map's contents by the prepared version. */
    public static RuntimeCommand commitMap(int version, String mapPath) {
        return new RuntimeCommand("commit map @" + Inputs.range("map version", version, 0, Integer.MAX_VALUE) + " "
                + Inputs.absolutePath("map", mapPath));
    }

    private static String name(String field, String value) {
        return Inputs.require(field, value, Inputs.HAPROXY_NAME);
    }

    /** The command line, without the trailing newline. */
    public String text() {
        return text;
    }

    /** Mutating commands answer with an empty reply on success; anything else is HAProxy's error text. */
    public boolean expectsEmptyReply() {
        return text.startsWith("set ") || text.startsWith("add ") || text.startsWith("commit ");
    }

    @Override
    public String toString() {
        return text;
    }
}
