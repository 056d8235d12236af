package io.infrasteps.plugin.common;

import hudson.model.TaskListener;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * An asynchronous execution whose work runs on {@link BackgroundWork} threads: {@link #start()} returns at once,
 * no executor thread waits, and the step completes exactly once, through {@link #succeed} or {@link #fail}
 * (later attempts are ignored). {@link #stop} cancels the engine's {@link Cancellation} token, which closes open
 * connections at once, and fails the step with the cause. Everything here is transient: subclasses keep in
 * non-transient fields exactly what they need to re-arm in {@code onResume()}, and never a secret.
 */
public abstract class BackgroundStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;

    private transient volatile Cancellation cancellation;
    private transient volatile Future<?> task;
    private transient volatile boolean completed;
    private transient volatile Throwable stopCause;

    protected BackgroundStepExecution(StepContext context) {
        super(context);
    }

    /** The Pipeline function name, first word of every message. */
    protected abstract String functionName();

    /** Work on a background thread; it receives the token {@link #stop} cancels. */
    @FunctionalInterface
    protected interface Work {
        void run(Cancellation cancellation) throws Exception;
    }

    /** Runs {@code work} on a background thread; a failure it throws fails the step (translated, see {@link StepFailures}). */
    protected final void background(Work work) {
        Cancellation token = Cancellation.create();
        cancellation = token;
        if (stopCause != null) {
            token.cancel();
            return;
        }
        task = BackgroundWork.submit(() -> {
            try {
                work.run(token);
            } catch (Throwable t) {
                if (token.isCancelled() && (t instanceof CancellationException || stopCause != null)) {
                    return; // stopped: stop() has completed the step already
                }
                fail(t);
            }
        });
    }

    /** Completes the step with {@code value} unless it already completed. */
    protected final void succeed(Object value) {
        synchronized (this) {
            if (completed) {
                return;
            }
            completed = true;
        }
        getContext().onSuccess(value);
    }

    /** Fails the step unless it already completed. */
    protected final void fail(Throwable error) {
        synchronized (this) {
            if (completed) {
                return;
            }
            completed = true;
        }
        getContext().onFailure(StepFailures.translate(functionName(), error));
    }

    /** Whether the step completed (or was stopped) in this JVM. */
    protected final boolean isCompleted() {
        return completed;
    }

    /** Whether {@link #stop} was called in this JVM. */
    protected final boolean isStopped() {
        return stopCause != null;
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        stopCause = cause;
        Cancellation token = cancellation;
        if (token != null) {
            token.cancel();
        }
        Future<?> running = task;
        if (running != null) {
            // Not interrupted: the token closes open connections at once, and an interrupt would also break the
            // engine's clean-up on the way out (destroying a session, releasing a lock), which must still run.
            running.cancel(false);
        }
        synchronized (this) {
            if (completed) {
                return;
            }
            completed = true;
        }
        getContext().onFailure(cause);
    }

    /** Console lines, one at a time (several engine threads may report at once). */
    protected final ProgressListener console() throws IOException, InterruptedException {
        TaskListener listener = getContext().get(TaskListener.class);
        PrintStream log = listener.getLogger();
        return line -> {
            synchronized (log) {
                log.println(StepFailures.printable(line));
            }
        };
    }
}
