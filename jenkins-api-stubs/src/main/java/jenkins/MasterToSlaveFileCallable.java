package jenkins;

import hudson.FilePath;

/** Stand-in for {@code jenkins.MasterToSlaveFileCallable}: a file callable the controller sends to an agent. */
public abstract class MasterToSlaveFileCallable<T> implements FilePath.FileCallable<T> {
    private static final long serialVersionUID = 1L;

    public MasterToSlaveFileCallable() {
    }
}
