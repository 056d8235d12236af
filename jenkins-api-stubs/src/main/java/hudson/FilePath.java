package hudson;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;

/** Stand-in for {@code hudson.FilePath}: a file on the controller or an agent. */
public final class FilePath implements Serializable {
    private static final long serialVersionUID = 1L;

    public FilePath(File localPath) {
        throw new UnsupportedOperationException("stub");
    }

    public String getRemote() {
        throw new UnsupportedOperationException("stub");
    }

    public <T> T act(FileCallable<T> callable) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    /** Work done where the file lives (on the agent for an agent workspace). */
    public interface FileCallable<T> extends Serializable {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
