package hudson.model;

import java.io.PrintStream;
import java.io.Serializable;

/** Stand-in for {@code hudson.model.TaskListener}: the build's console. */
public interface TaskListener extends Serializable {
    PrintStream getLogger();
}
