package io.infrasteps.cli;

import io.infrasteps.engine.haproxy.FleetStatus;
import io.infrasteps.engine.haproxy.ProxyStatus;
import io.infrasteps.engine.haproxy.ServerRow;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Renders a fleet status as an aligned text table, one row per server per proxy. */
public final class StatusTable {
    private StatusTable() {
    }

    public static void print(FleetStatus status, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REGION", "PROXY", "BACKEND", "SERVER", "STATUS", "ADMIN", "OP", "WEIGHT", "SESS", "CHECK"});
        for (ProxyStatus proxy : status.proxies()) {
            if (!proxy.ok()) {
                rows.add(new String[] {proxy.proxy().region(), proxy.proxy().name(), "-", "-", "UNREACHABLE", "-", "-", "-", "-",
                        proxy.error()});
                continue;
            }
            for (ServerRow row : proxy.servers()) {
                rows.add(new String[] {proxy.proxy().region(), proxy.proxy().name(), row.backend(), row.server() + (row.backup() ? " (backup)" : ""),
                        row.status(), row.adminState().keyword(), row.operationalStateName(), String.valueOf(row.weight()),
                        String.valueOf(row.currentSessions()), row.checkStatus()});
            }
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
