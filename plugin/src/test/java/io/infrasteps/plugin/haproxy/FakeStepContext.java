package io.infrasteps.plugin.haproxy;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A step context without Jenkins: a console that records what the step prints, the step's outcome (success value
 * or failure, and how often it was completed), a body to run for block steps, and whatever else a test puts in.
 * It has no Run and no FilePath unless given (those cannot be made outside Jenkins).
 *
 * <p>Like Pipeline's own contexts it is serialized with an execution and, when read back, stands for the same
 * step: deserializing resolves to the live context of that id, which {@link #restarted()} replaces to simulate a
 * controller restart (a fresh console and outcome for the resumed execution).
 */
public final class FakeStepContext extends StepContext {
    private static final long serialVersionUID = 1L;
    private static final Map<String, FakeStepContext> LIVE = new ConcurrentHashMap<>();

    private final String id;
    private final transient FakeStepContext parent;
    private final transient ByteArrayOutputStream console;
    private final transient Map<Class<?>, Object> values = new HashMap<>();
    private final transient CompletableFuture<Object> outcome = new CompletableFuture<>();
    private final transient AtomicInteger completions = new AtomicInteger();
    private final transient AtomicInteger saves = new AtomicInteger();
    private transient volatile Body body;

    public FakeStepContext() {
        this(UUID.randomUUID().toString(), null);
    }

    private FakeStepContext(String id, FakeStepContext parent) {
        this.id = id;
        this.parent = parent;
        this.console = parent == null ? new ByteArrayOutputStream() : parent.console;
        if (parent == null) {
            values.put(TaskListener.class, new ConsoleListener(new PrintStream(console, true, StandardCharsets.UTF_8)));
            LIVE.put(id, this);
        }
    }

    /** The block a block step runs: it gets the body's context (with the block's context objects). */
    @FunctionalInterface
    public interface Body {
        Object run(FakeStepContext bodyContext) throws Exception;
    }

    public FakeStepContext withBody(Body body) {
        this.body = body;
        return this;
    }

    public <T> FakeStepContext with(Class<T> key, T value) {
        values.put(key, value);
        return this;
    }

    /** A new live context for the same step, as after a controller restart; the old one no longer receives anything. */
    public FakeStepContext restarted() {
        FakeStepContext fresh = new FakeStepContext(id, null);
        values.forEach((k, v) -> {
            if (k != TaskListener.class) {
                fresh.values.put(k, v);
            }
        });
        fresh.body = body;
        return fresh;
    }

    /** For a body's context: the step's live context (after a simulated restart, the new one). */
    private FakeStepContext step() {
        return LIVE.getOrDefault(parent.id, parent);
    }

    private Object readResolve() {
        FakeStepContext live = LIVE.get(id);
        return live != null ? live : this;
    }

    @Override
    public <T> T get(Class<T> key) {
        Object v = values.get(key);
        if (v == null && parent != null) {
            return step().get(key);
        }
        return key.cast(v);
    }

    @Override
    public void onSuccess(Object result) {
        if (parent != null) {
            step().onSuccess(result);
            return;
        }
        completions.incrementAndGet();
        outcome.complete(result);
    }

    @Override
    public void onFailure(Throwable t) {
        if (parent != null) {
            step().onFailure(t);
            return;
        }
        completions.incrementAndGet();
        outcome.completeExceptionally(t);
    }

    @Override
    public ListenableFuture<Void> saveState() {
        if (parent != null) {
            return step().saveState();
        }
        saves.incrementAndGet();
        return Futures.immediateFuture(null);
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        if (body == null) {
            throw new IllegalStateException("no body");
        }
        return new Invoker(this);
    }

    public String console() {
        if (parent != null) {
            return step().console();
        }
        return console.toString(StandardCharsets.UTF_8);
    }

    public List<String> lines() {
        return console().lines().toList();
    }

    /** Waits until the console has a line starting with {@code prefix}; fails the test after {@code limit}. */
    public String awaitLine(String prefix, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no console line starting with '" + prefix + "' within " + limit + "; console:\n" + console());
    }

    public boolean isDone() {
        return outcome.isDone();
    }

    /** How many times the step was completed (must end as exactly one). */
    public int completions() {
        return completions.get();
    }

    public int saves() {
        return saves.get();
    }

    /** The step's return value, or its failure rethrown; fails the test when it does not complete within {@code limit}. */
    public Object await(Duration limit) throws Throwable {
        try {
            return outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the step did not complete within " + limit + "; console:\n" + console());
        }
    }

    /** The failure the step ended with; fails the test when it succeeded or did not complete. */
    public Throwable awaitFailure(Duration limit) {
        try {
            Object value = await(limit);
            throw new AssertionError("expected a failure, the step returned " + value + "; console:\n" + console());
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable t) {
            return t;
        }
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

    /** Runs the body on its own thread, with the context objects given, and reports to the callback as Pipeline does. */
    private static final class Invoker extends BodyInvoker {
        private final FakeStepContext step;
        private final List<Object> contexts = new ArrayList<>();
        private BodyExecutionCallback callback;

        Invoker(FakeStepContext step) {
            this.step = step;
        }

        @Override
        public BodyInvoker withContext(Object override) {
            contexts.add(override);
            return this;
        }

        @Override
        public BodyInvoker withCallback(BodyExecutionCallback callback) {
            this.callback = callback;
            return this;
        }

        @Override
        public BodyExecution start() {
            FakeStepContext bodyContext = new FakeStepContext(step.id + "/body", step);
            for (Object o : contexts) {
                bodyContext.values.put(o.getClass(), o);
            }
            Running running = new Running();
            Body body = step.body;
            BodyExecutionCallback cb = callback;
            running.thread = new Thread(() -> {
                cb.onStart(bodyContext);
                Object result;
                try {
                    result = body.run(bodyContext);
                } catch (Throwable t) {
                    Throwable cause = running.cancelCause;
                    running.done = true;
                    cb.onFailure(bodyContext, cause != null ? cause : t);
                    return;
                }
                running.done = true;
                Throwable cause = running.cancelCause;
                if (cause != null) {
                    cb.onFailure(bodyContext, cause);
                } else {
                    cb.onSuccess(bodyContext, result);
                }
            }, "fake-body");
            running.thread.setDaemon(true);
            running.thread.start();
            return running;
        }
    }

    /** A running body; cancelling interrupts it and makes it fail with the cause, as Pipeline does. */
    static final class Running extends BodyExecution {
        private static final long serialVersionUID = 1L;
        private static final Map<String, Running> LIVE_BODIES = new ConcurrentHashMap<>();
        private final String id = UUID.randomUUID().toString();
        transient volatile Thread thread;
        transient volatile Throwable cancelCause;
        transient volatile boolean done;

        Running() {
            LIVE_BODIES.put(id, this);
        }

        /** Read back with the program: the same running body (it keeps running across a simulated restart). */
        private Object readResolve() {
            Running live = LIVE_BODIES.get(id);
            return live != null ? live : this;
        }

        @Override
        public boolean cancel(Throwable t) {
            if (done) {
                return false;
            }
            cancelCause = t;
            thread.interrupt();
            return true;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return cancel(new InterruptedException("cancelled"));
        }

        @Override
        public boolean isCancelled() {
            return cancelCause != null;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
