package hudson.model;

/** Stand-in for {@code hudson.model.Run}: a context type, for credential lookups, and to name a build. */
public abstract class Run<JobT, RunT> {
    private Run() {
    }

    /** The build number. */
    public int getNumber() {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }

    /** The build's URL relative to the Jenkins root, e.g. {@code job/foo/12/}. */
    public String getUrl() {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }

    /** The job's full name and the build's display name, e.g. {@code folder » foo #12}. */
    public String getFullDisplayName() {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }
}
