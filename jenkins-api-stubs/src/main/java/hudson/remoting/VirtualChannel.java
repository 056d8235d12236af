package hudson.remoting;

/** Stand-in for remoting's {@code hudson.remoting.VirtualChannel}; no member is used. */
public interface VirtualChannel {
}
