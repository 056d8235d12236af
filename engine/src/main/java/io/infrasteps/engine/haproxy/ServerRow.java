package io.infrasteps.engine.haproxy;

import java.io.Serializable;

/**
 * One server as one proxy sees it, joined from {@code show servers state} (admin and
 * operational state, weight) and {@code show stat} (status, sessions, check result).
 */
public final class ServerRow implements Serializable {
    private static final long serialVersionUID = 1L;

    /** srv_admin_state bits from HAProxy's server.h: forced/inherited/config/resolution/hostname maintenance. */
    private static final int MAINT_BITS = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
    /** Forced or inherited drain. */
    private static final int DRAIN_BITS = 0x08 | 0x10;
    /** srv_op_state 2 is SRV_ST_RUNNING. */
    private static final int RUNNING = 2;

    private final String backend;
    private final String server;
    private final String address;
    private final int operationalState;
    private final int adminBits;
    private final int weight;
    private final String status;
    private final int currentSessions;
    private final String checkStatus;
    private final boolean backup;

    public ServerRow(String backend, String server, String address, int operationalState, int adminBits, int weight,
                     String status, int currentSessions, String checkStatus, boolean backup) {
        this.backend = backend;
        this.server = server;
        this.address = address;
        this.operationalState = operationalState;
        this.adminBits = adminBits;
        this.weight = weight;
        this.status = status;
        this.currentSessions = currentSessions;
        this.checkStatus = checkStatus;
        this.backup = backup;
    }

    public String backend() {
        return backend;
    }

    public String server() {
        return server;
    }

    public String address() {
        return address;
    }

    /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping. */
    public int operationalState() {
        return operationalState;
    }

    public String operationalStateName() {
        switch (operationalState) {
            case 0: return "stopped";
            case 1: return "starting";
            case 2: return "running";
            case 3: return "stopping";
            default: return "unknown(" + operationalState + ")";
        }
    }

    public int adminBits() {
        return adminBits;
    }

    /** The administrative state as an operator sets it. Maintenance wins over drain. */
    public ServerState adminState() {
        if ((adminBits & MAINT_BITS) != 0) {
            return ServerState.MAINT;
        }
        return (adminBits & DRAIN_BITS) != 0 ? ServerState.DRAIN : ServerState.READY;
    }

    public int weight() {
        return weight;
    }

    /** show stat's status column, e.g. UP, DOWN, DRAIN, MAINT, "UP 1/3", or "-" when not reported. */
    public String status() {
        return status;
    }

    public int currentSessions() {
        return currentSessions;
    }

    /** show stat's check_status, e.g. L7OK, L4CON, or "-" when not checked. */
    public String checkStatus() {
        return checkStatus;
    }

    public boolean backup() {
        return backup;
    }

    /** Takes new traffic: administratively ready and operationally running. */
    public boolean isReady() {
        return adminState() == ServerState.READY && operationalState == RUNNING;
    }

    @Override
    public String toString() {
        return backend + "/" + server + " " + status + " admin=" + adminState().keyword() + " op=" + operationalStateName()
                + " weight=" + weight + " sessions=" + currentSessions + " check=" + checkStatus + (backup ? " backup" : "");
    }
}
