package io.infrasteps.plugin.common;

import hudson.AbortException;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.consul.ConsulException;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.haproxy.FleetOperationException;

/**
 * Turns what the engine throws into what a build shows: an {@link AbortException} (a message, no stack trace)
 * starting with the step's function name, for every expected failure (bad input, a busy or lost lock, a refused
 * change, a Consul error naming datacenter, endpoint and key). Anything else is a bug and keeps its stack trace.
 */
public final class StepFailures {

    private StepFailures() {
    }

    public static Throwable translate(String functionName, Throwable error) {
        if (error instanceof AbortException) {
            String message = error.getMessage();
            return message != null && message.startsWith(functionName + ": ") ? error : new AbortException(functionName + ": " + message);
        }
        if (error instanceof EnvironmentLock.LockBusyException) {
            // The holder is text another client wrote into Consul: one line, whatever it holds.
            return new AbortException(functionName + ": " + oneLine(error.getMessage()));
        }
        if (error instanceof InvalidInputException || error instanceof FleetOperationException || error instanceof ConsulException
                || error instanceof IllegalStateException) {
            return new AbortException(functionName + ": " + printable(error.getMessage()));
        }
        return error;
    }

    /** Text as one printable line: every control character, newlines included, becomes '?'. */
    public static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\p{Cntrl}|\u2028|\u2029", "?");
    }

    /** Remote text (Consul answers, check output) as printable lines: control characters other than newline become '?'. */
    public static String printable(String message) {
        return message == null ? "" : message.replaceAll("[\\p{Cntrl}&&[^\\n]]", "?");
    }
}
