package hudson.model;

/** Stand-in for {@code hudson.model.Run}: used only as a context type and for credential lookups. */
public abstract class Run<JobT, RunT> {
    private Run() {
    }
}
