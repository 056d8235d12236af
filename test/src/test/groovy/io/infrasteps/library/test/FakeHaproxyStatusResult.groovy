package io.infrasteps.library.test

/**
 * Stand-in for the plugin's haproxyStatus result (io.infrasteps.plugin.haproxy.HaproxyStatusResult):
 * serializable, with its whitelisted getters isOk(), getProxies() (maps: name, region, address, ok, error,
 * servers), getServers() (maps: proxy, region, backend, server, address, state, operational, ready,
 * status, weight, sessions, check, backup) and getUnreachable().
 */
class FakeHaproxyStatusResult implements Serializable {
    private static final long serialVersionUID = 1L

    static final String ENV = 'stage-example'

    private final ArrayList<LinkedHashMap<String, Object>> proxies = []
    private final ArrayList<LinkedHashMap<String, Object>> servers = []

    /**
     * Each region has proxy haproxy-a with three servers, all UP: the release backend's server and the
     * shard's own backend (ready), and a second shard draining.
     */
    static FakeHaproxyStatusResult healthy(List<String> regions) {
        FakeHaproxyStatusResult r = new FakeHaproxyStatusResult()
        for (String region : regions) {
            r.proxy(region, 'haproxy-a')
            String s1 = "${ENV}-${region}-s1".toString()
            String s2 = "${ENV}-${region}-s2".toString()
            r.server(region, 'haproxy-a', 'release-42', s1, 'ready', 'running', 'UP', 'L7OK')
            r.server(region, 'haproxy-a', s1, s1, 'ready', 'running', 'UP', 'L7OK')
            r.server(region, 'haproxy-a', 'release-41', s2, 'drain', 'running', 'DRAIN', 'L7OK')
        }
        return r
    }

    FakeHaproxyStatusResult proxy(String region, String name) {
        proxies.add([name: name, region: region, address: "ssh://haproxy@${name}.${region}.example.com/var/run/haproxy/admin.sock".toString(),
                     ok: true, error: null, servers: []] as LinkedHashMap)
        return this
    }

    /** A proxy that could not be read. */
    FakeHaproxyStatusResult unreachable(String region, String name, String error) {
        proxies.add([name: name, region: region, address: "tcp://${name}:9999".toString(), ok: false, error: error, servers: []] as LinkedHashMap)
        return this
    }

    FakeHaproxyStatusResult server(String region, String proxy, String backend, String server, String state,
                                   String operational, String status, String check) {
        LinkedHashMap<String, Object> row = [proxy: proxy, region: region, backend: backend, server: server, address: '10.0.0.5:443',
                                             state: state, operational: operational, ready: state == 'ready' && operational == 'running',
                                             status: status, weight: 100, sessions: 3, check: check, backup: false] as LinkedHashMap
        servers.add(row)
        for (Map p : proxies) {
            if (p.name == proxy && p.region == region) {
                ((List) p.servers).add(row)
            }
        }
        return this
    }

    /** Sets one field of the server rows named {@code server} (e.g. status 'DOWN'). */
    FakeHaproxyStatusResult set(String server, String field, Object value) {
        for (Map row : servers) {
            if (row.server == server) {
                row.put(field, value)
            }
        }
        return this
    }

    boolean isOk() {
        for (Map p : proxies) {
            if (p.ok != true) {
                return false
            }
        }
        return true
    }

    List<Map<String, Object>> getProxies() {
        return Collections.unmodifiableList(proxies)
    }

    List<Map<String, Object>> getServers() {
        return Collections.unmodifiableList(servers)
    }

    List<String> getUnreachable() {
        List<String> out = []
        for (Map p : proxies) {
            if (p.ok != true) {
                out.add("${p.name}: ${p.error}".toString())
            }
        }
        return out
    }
}
