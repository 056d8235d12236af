package io.infrasteps.plugin.haproxy;

import io.infrasteps.engine.haproxy.FleetStatus;
import io.infrasteps.engine.haproxy.ProxyStatus;
import io.infrasteps.engine.haproxy.ServerRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;

/**
 * What {@code haproxyStatus} returns: per proxy, its servers as seen through the runtime API. Plain lists and maps
 * of strings, numbers and booleans, so a sandboxed Pipeline can read them without script approvals:
 * <pre>
 * def status = haproxyStatus site: 'stage'
 * status.servers.findAll { it.server == 'stage-us-ashburn-1-s1' }.each { echo "${it.proxy}: ${it.state}" }
 * </pre>
 * Server maps: {@code proxy, region, backend, server, address, state} (ready|drain|maint), {@code operational}
 * (running|stopped|starting|stopping), {@code ready} (boolean), {@code status} (e.g. UP), {@code weight},
 * {@code sessions}, {@code check}, {@code backup}. Proxy maps: {@code name, region, address, ok, error, servers}.
 */
public final class HaproxyStatusResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArrayList<LinkedHashMap<String, Object>> proxies = new ArrayList<>();
    private final ArrayList<LinkedHashMap<String, Object>> servers = new ArrayList<>();

    HaproxyStatusResult(FleetStatus status) {
        for (ProxyStatus p : status.proxies()) {
            ArrayList<LinkedHashMap<String, Object>> rows = new ArrayList<>();
            for (ServerRow row : p.servers()) {
                LinkedHashMap<String, Object> m = new LinkedHashMap<>();
                m.put("proxy", p.proxy().name());
                m.put("region", p.proxy().region());
                m.put("backend", row.backend());
                m.put("server", row.server());
                m.put("address", row.address());
                m.put("state", row.adminState().keyword());
                m.put("operational", row.operationalStateName());
                m.put("ready", row.isReady());
                m.put("status", row.status());
                m.put("weight", row.weight());
                m.put("sessions", row.currentSessions());
                m.put("check", row.checkStatus());
                m.put("backup", row.backup());
                rows.add(m);
                servers.add(m);
            }
            LinkedHashMap<String, Object> proxy = new LinkedHashMap<>();
            proxy.put("name", p.proxy().name());
            proxy.put("region", p.proxy().region());
            proxy.put("address", p.proxy().address().toString());
            proxy.put("ok", p.ok());
            proxy.put("error", p.error());
            proxy.put("servers", rows);
            proxies.add(proxy);
        }
    }

    /** True when every proxy answered. */
    @Whitelisted
    public boolean isOk() {
        return proxies.stream().allMatch(p -> Boolean.TRUE.equals(p.get("ok")));
    }

    /** One map per proxy, in the order of the site (or of the {@code proxies} argument). */
    @Whitelisted
    public List<Map<String, Object>> getProxies() {
        return Collections.unmodifiableList(proxies);
    }

    /** Every server of every proxy that answered, one map each. */
    @Whitelisted
    public List<Map<String, Object>> getServers() {
        return Collections.unmodifiableList(servers);
    }

    /** The rows of one server name (a shard) across proxies and backends. */
    @Whitelisted
    public List<Map<String, Object>> serversNamed(String server) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : servers) {
            if (row.get("server").equals(server)) {
                out.add(row);
            }
        }
        return out;
    }

    /** Names of the proxies that could not be read, with the reason. */
    @Whitelisted
    public List<String> getUnreachable() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> p : proxies) {
            if (!Boolean.TRUE.equals(p.get("ok"))) {
                out.add(p.get("name") + ": " + p.get("error"));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "HaproxyStatusResult[" + proxies.size() + " proxies, " + servers.size() + " servers, "
                + getUnreachable().size() + " unreachable]";
    }
}
