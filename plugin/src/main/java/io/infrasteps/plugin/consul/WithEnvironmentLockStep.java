package io.infrasteps.plugin.consul;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.site.Region;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.AbstractSiteStep;
import io.infrasteps.plugin.common.BackgroundStepExecution;
import io.infrasteps.plugin.common.BackgroundWork;
import io.infrasteps.plugin.common.ConsulAccess;
import io.infrasteps.plugin.common.JenkinsStepServices;
import io.infrasteps.plugin.common.SiteRef;
import io.infrasteps.plugin.common.SiteStepDescriptor;
import io.infrasteps.plugin.common.StepArguments;
import io.infrasteps.plugin.common.StepArguments.Argument;
import io.infrasteps.plugin.common.StepFailures;
import io.infrasteps.plugin.common.StepServices;
import java.time.Duration;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code withEnvironmentLock}: runs its block holding the environment's Consul session lock
 * ({@code locks/<env>/<lock>}, in the datacenter of the site's local region), so that no other build or CLI user
 * changes HAProxy or shard state, or switches GA, meanwhile. A busy lock fails the step naming its holder (a build
 * URL, or a CLI user and time), or is waited for up to {@code waitSeconds}. The lock is released when the block
 * ends, whether it succeeds, fails or is aborted; if Jenkins dies, the session TTL frees it. After a controller
 * restart the block keeps the lock if its session is still alive, and is stopped if the lock was lost.
 * <pre>
 * withEnvironmentLock(site: 'stage') {
 *     setHaproxy site: 'stage', shard: 'stage-us-ashburn-1-s2', state: 'drain'   // runs under this lock
 *     setHaproxy site: 'stage', liveRelease: 43
 * }
 * </pre>
 * Steps inside the block that need the same lock ({@code setHaproxy} on the same site, a nested
 * {@code withEnvironmentLock} of the same lock) find it in the block's context ({@link EnvironmentLockContext})
 * and run under it instead of taking it again.
 */
public class WithEnvironmentLockStep extends AbstractSiteStep {

    static final String FUNCTION = "withEnvironmentLock";
    static final int MAX_WAIT_SECONDS = 3600;
    static final int DEFAULT_TTL_SECONDS = 120;
    /** Consul's session TTL bounds. */
    static final int MIN_TTL_SECONDS = 10;
    static final int MAX_TTL_SECONDS = 86_400;

    static final Argument<WithEnvironmentLockStep, String> LOCK = Argument.of("lock", WithEnvironmentLockStep.class,
            WithEnvironmentLockStep::getLock, StepArguments.name(Inputs.DNS_LABEL));
    static final Argument<WithEnvironmentLockStep, Integer> WAIT_SECONDS = Argument.of("waitSeconds", WithEnvironmentLockStep.class,
            WithEnvironmentLockStep::getWaitSeconds, StepArguments.integer(0, MAX_WAIT_SECONDS));
    static final Argument<WithEnvironmentLockStep, Integer> TTL_SECONDS = Argument.of("ttlSeconds", WithEnvironmentLockStep.class,
            WithEnvironmentLockStep::getTtlSeconds, StepArguments.integer(MIN_TTL_SECONDS, MAX_TTL_SECONDS));

    /** Every argument, in the order they are checked. */
    static final StepArguments ARGUMENTS = SITE_ARGUMENTS.with(LOCK, WAIT_SECONDS, TTL_SECONDS);

    private String lock;
    private Integer waitSeconds;
    private Integer ttlSeconds;

    @DataBoundConstructor
    public WithEnvironmentLockStep() {
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    public StepArguments arguments() {
        return ARGUMENTS;
    }

    public String getLock() {
        return lock;
    }

    /** The lock's name under {@code locks/<env>/}; haproxy-state when not given. */
    @DataBoundSetter
    public void setLock(String lock) {
        this.lock = StepArguments.given(lock);
    }

    public Integer getWaitSeconds() {
        return waitSeconds;
    }

    /** How long to wait for a busy lock, 0..3600; 0 (fail at once, naming the holder) when not given. */
    @DataBoundSetter
    public void setWaitSeconds(Integer waitSeconds) {
        this.waitSeconds = waitSeconds;
    }

    public Integer getTtlSeconds() {
        return ttlSeconds;
    }

    /** The Consul session TTL, 10..86400; 120 when not given. */
    @DataBoundSetter
    public void setTtlSeconds(Integer ttlSeconds) {
        this.ttlSeconds = ttlSeconds;
    }

    // ---- the checked values, defaults applied (valid once start() has checked the arguments) ----

    String lockName() {
        String name = LOCK.value(this);
        return name == null ? EnvironmentLocks.STATE_LOCK : name;
    }

    int waitSeconds() {
        Integer seconds = WAIT_SECONDS.value(this);
        return seconds == null ? 0 : seconds;
    }

    int ttlSeconds() {
        Integer seconds = TTL_SECONDS.value(this);
        return seconds == null ? DEFAULT_TTL_SECONDS : seconds;
    }

    @Override
    protected StepExecution execution(StepContext context) throws Exception {
        SiteRef site = siteRef();
        return new Execution(site, lockName(), waitSeconds(), ttlSeconds(), context);
    }

    /**
     * Takes the lock on a background thread, then runs the block. Saved with the program: the site reference (a name,
     * a workspace path, or the site YAML text, which holds credential ids only), the lock's name, key and
     * datacenter, the Consul session id (to take the lock back after a restart) and the running
     * block. Never the token: the live lock and its Consul clients stay in memory ({@link HeldLocks}).
     */
    public static class Execution extends BackgroundStepExecution {
        private static final long serialVersionUID = 1L;

        private final SiteRef site;
        private final String lockName;
        private final int waitSeconds;
        private final int ttlSeconds;
        private volatile String key;
        private volatile String datacenter;
        private volatile String session;
        private volatile boolean reentrant;
        private volatile BodyExecution body;

        protected Execution(SiteRef site, String lockName, int waitSeconds, int ttlSeconds, StepContext context) {
            super(context);
            this.site = site;
            this.lockName = lockName;
            this.waitSeconds = waitSeconds;
            this.ttlSeconds = ttlSeconds;
        }

        @Override
        protected String functionName() {
            return FUNCTION;
        }

        /** Jenkins services; unit tests supply their own. */
        StepServices services() {
            return new JenkinsStepServices(getContext(), FUNCTION);
        }

        /** The Consul session holding the lock, once taken (null before, and for a block running under an enclosing one). */
        String session() {
            return session;
        }

        String key() {
            return key;
        }

        @Override
        public boolean start() throws Exception {
            if (!getContext().hasBody()) {
                throw new AbortException(FUNCTION + ": needs a block: withEnvironmentLock(site: 'stage') { ... }");
            }
            background(this::acquire);
            return false;
        }

        private void acquire(Cancellation token) throws Exception {
            ProgressListener console = console();
            StepServices services = services();
            Site s = site.resolve(services);
            String description = site.describe(s);
            String lockKey = EnvironmentLock.key(s.name(), lockName);
            EnvironmentLockContext enclosing = getContext().get(EnvironmentLockContext.class);
            if (enclosing != null && enclosing.find(lockKey) != null) {
                key = lockKey;
                reentrant = true;
                console.line(FUNCTION + ": lock " + lockKey + " is held by the enclosing withEnvironmentLock; running the block under it");
                startBody(enclosing, null);
                return;
            }
            Region region = ConsulAccess.lockRegion(s);
            ConsulSite consul = ConsulAccess.open(s, description, services);
            boolean handedOver = false;
            try {
                console.line(FUNCTION + ": taking lock " + lockKey + " in " + region.datacenter()
                        + (waitSeconds > 0 ? " (waiting up to " + waitSeconds + " s)" : ""));
                EnvironmentLock held = EnvironmentLock.acquire(consul.client(region), region.datacenter(), s.name(), lockName,
                        services.lockHolder(), Duration.ofSeconds(ttlSeconds), Duration.ofSeconds(waitSeconds), token);
                HeldLocks.register(held, consul);
                handedOver = true;
                key = lockKey;
                datacenter = region.datacenter();
                session = held.session();
                getContext().saveState();
                console.line(FUNCTION + ": holding lock " + lockKey + " in " + datacenter);
                startBody(enclosing, new EnvironmentLockContext.Held(lockKey, datacenter, session));
            } finally {
                if (!handedOver) {
                    consul.close();
                }
            }
        }

        /** Starts the block unless the step was stopped meanwhile (then the lock is released at once). */
        private void startBody(EnvironmentLockContext enclosing, EnvironmentLockContext.Held held) {
            BodyInvoker invoker = getContext().newBodyInvoker().withCallback(new Release(key, held == null ? null : held.session()));
            if (held != null) {
                invoker.withContext(EnvironmentLockContext.with(enclosing, held));
            }
            synchronized (this) {
                if (!isCompleted()) {
                    body = invoker.start();
                    return;
                }
            }
            if (held != null) {
                HeldLocks.release(held.session());
            }
        }

        /** Takes the lock back after a restart; stops the block when it was lost meanwhile. */
        @Override
        public void onResume() {
            if (isCompleted()) {
                return;
            }
            if (session == null) {
                if (body == null) {
                    background(this::acquire); // the restart came while the lock was being taken
                }
                return; // running under an enclosing block's lock: nothing of its own to take back
            }
            background(this::resume);
        }

        private void resume(Cancellation token) throws Exception {
            ProgressListener console = console();
            StepServices services = services();
            EnvironmentLock held;
            ConsulSite consul = null;
            try {
                Site s = site.resolve(services);
                Region region = s.regions().stream().filter(r -> r.datacenter().equals(datacenter)).findFirst()
                        .orElse(ConsulAccess.lockRegion(s));
                consul = ConsulAccess.open(s, site.describe(s), services);
                held = EnvironmentLock.resume(consul.client(region), datacenter, key, session, Duration.ofSeconds(ttlSeconds), token);
            } catch (Exception e) {
                if (consul != null) {
                    consul.close();
                }
                Throwable why = StepFailures.translate(FUNCTION, e);
                AbortException stopped = new AbortException(FUNCTION + ": could not keep lock " + key + " across the restart: "
                        + stripPrefix(why.getMessage()) + "; the block was stopped");
                BodyExecution running = body;
                if (running != null) {
                    running.cancel(stopped);
                } else {
                    fail(stopped);
                }
                return;
            }
            HeldLocks.register(held, consul);
            console.line(FUNCTION + ": lock " + key + " is still held after the restart");
            if (body == null) {
                startBody(getContext().get(EnvironmentLockContext.class), new EnvironmentLockContext.Held(key, datacenter, session));
            }
        }

        private static String stripPrefix(String message) {
            String m = message == null ? "" : message;
            return m.startsWith(FUNCTION + ": ") ? m.substring(FUNCTION.length() + 2) : m;
        }

        /** While the block runs, an abort goes to the block (whose end releases the lock); before, it stops the acquisition. */
        @Override
        public void stop(Throwable cause) throws Exception {
            BodyExecution running;
            synchronized (this) {
                running = body;
            }
            if (running != null) {
                running.cancel(cause);
                return;
            }
            super.stop(cause);
        }

        @Override
        public String getStatus() {
            if (body != null) {
                return (reentrant ? "running under the enclosing lock " : "holding lock ") + key;
            }
            return session == null ? "waiting for lock " + lockName : "lock " + key + " held, starting the block";
        }
    }

    /**
     * Ends the block: releases the lock on a background thread (network I/O is not allowed on the Pipeline thread),
     * then completes the step with the block's result or failure. Saved with the program: the lock's key and session id.
     */
    static final class Release extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;

        private final String key;
        private final String session;

        Release(String key, String session) {
            this.key = key;
            this.session = session;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            BackgroundWork.submit(() -> {
                release(context);
                context.onSuccess(result);
            });
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            BackgroundWork.submit(() -> {
                release(context);
                context.onFailure(t);
            });
        }

        private void release(StepContext context) {
            if (session == null) {
                return; // the enclosing block releases it
            }
            String line;
            try {
                line = HeldLocks.release(session) ? FUNCTION + ": released lock " + key
                        : FUNCTION + ": lock " + key + " is no longer held by this controller (lost across a restart); its session expires on its own";
            } catch (RuntimeException e) {
                line = FUNCTION + ": releasing lock " + key + " failed (" + e.getClass().getSimpleName()
                        + "); its session TTL frees it";
            }
            try {
                TaskListener listener = context.get(TaskListener.class);
                if (listener != null) {
                    listener.getLogger().println(line);
                }
            } catch (Exception e) {
                // the console is gone (the build is ending); the lock was released all the same
            }
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends SiteStepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Run a block holding the environment's Consul lock";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        /** Shows the site, the lock and the wait; never a value that is not valid. */
        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            return ARGUMENTS.describe(namedArgs, "site", "siteFile", "siteYaml", "lock", "waitSeconds");
        }

        @POST
        public FormValidation doCheckLock(@AncestorInPath Item item, @QueryParameter String value) {
            return ARGUMENTS.formCheck(item, "lock", value);
        }
    }
}
