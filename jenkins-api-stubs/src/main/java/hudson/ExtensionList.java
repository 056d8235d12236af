package hudson;

import jenkins.model.Jenkins;

/** Stand-in for {@code hudson.ExtensionList}: only the lookup the plugin uses. */
public class ExtensionList<T> {
    protected ExtensionList(Jenkins jenkins, Class<T> extensionType) {
        throw new UnsupportedOperationException("stub");
    }

    public static <U> U lookupSingleton(Class<U> type) {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }
}
