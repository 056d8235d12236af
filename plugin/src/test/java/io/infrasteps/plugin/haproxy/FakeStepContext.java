package io.infrasteps.plugin.haproxy;

import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A step context without Jenkins: a console that records what the step prints, and whatever else a test puts in.
 * It has no Run and no FilePath unless given (those cannot be made outside Jenkins).
 */
final class FakeStepContext extends StepContext {
    private static final long serialVersionUID = 1L;

    private final transient ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final transient Map<Class<?>, Object> values = new HashMap<>();

    FakeStepContext() {
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        values.put(TaskListener.class, new ConsoleListener(out));
    }

    @Override
    public <T> T get(Class<T> key) {
        return key.cast(values.get(key));
    }

    String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    List<String> lines() {
        return console().lines().toList();
    }

    private static final class ConsoleListener implements TaskListener {
        private static final long serialVersionUID = 1L;
        private final transient PrintStream out;

        ConsoleListener(PrintStream out) {
            this.out = out;
        }

        @Override
        public PrintStream getLogger() {
            return out;
        }
    }
}
