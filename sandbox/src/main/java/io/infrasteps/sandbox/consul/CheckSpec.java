package io.infrasteps.sandbox.consul;

import java.util.Set;

/**
 * A health check registered with a service instance through {@link SandboxConsul#registerService}.
 *
 * @param checkId unique on its node, e.g. {@code service:signal-1} or {@code signal-report}
 * @param name    display name (defaults to the id)
 * @param status  {@code passing}, {@code warning}, {@code critical} or {@code maintenance}
 * @param output  the check's last output (defaults to empty)
 */
public record CheckSpec(String checkId, String name, String status, String output) {
    static final Set<String> STATUSES = Set.of("passing", "warning", "critical", "maintenance");

    public CheckSpec {
        if (checkId == null || checkId.isBlank()) {
            throw new IllegalArgumentException("checkId is required");
        }
        requireStatus(status);
        name = name == null || name.isBlank() ? checkId : name;
        output = output == null ? "" : output;
    }

    public static CheckSpec passing(String checkId) {
        return new CheckSpec(checkId, null, "passing", "");
    }

    public static CheckSpec critical(String checkId, String output) {
        return new CheckSpec(checkId, null, "critical", output);
    }

    static String requireStatus(String status) {
        if (status == null || !STATUSES.contains(status)) {
            throw new IllegalArgumentException("check status must be one of passing, warning, critical, maintenance; got '"
                    + status + "'");
        }
        return status;
    }
}
