package hudson;

/** Stand-in for Jenkins' marker interface {@code hudson.ExtensionPoint}. */
public interface ExtensionPoint {
}
