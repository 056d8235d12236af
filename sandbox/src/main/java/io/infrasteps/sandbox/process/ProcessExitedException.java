package io.infrasteps.sandbox.process;

/** A child process exited while we were waiting for it to become ready. */
public final class ProcessExitedException extends ReadinessException {
    private final String logTail;

    public ProcessExitedException(String name, int exitCode, String logTail) {
        super(name + " exited with code " + exitCode + " before it was ready; log tail:\n" + logTail);
        this.logTail = logTail;
    }

    /** The last lines the process wrote, e.g. to tell a port clash from a bad configuration. */
    public String logTail() {
        return logTail;
    }
}
