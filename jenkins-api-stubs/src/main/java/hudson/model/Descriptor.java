package hudson.model;

import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/** Stand-in for {@code hudson.model.Descriptor}: only the members the plugin uses. */
public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {
    }

    protected Descriptor(Class<? extends T> clazz) {
    }

    public String getDisplayName() {
        return getClass().getSimpleName();
    }

    /** Real Jenkins reads the saved XML; the stand-in has nothing to read. */
    public void load() {
    }

    /** Real Jenkins writes the XML; the stand-in has nowhere to write. */
    public void save() {
    }

    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        throw new UnsupportedOperationException("stub");
    }

    /** Stand-in for {@code Descriptor.FormException}. */
    public static final class FormException extends Exception {
        private static final long serialVersionUID = 1L;

        public FormException(String message, Throwable cause, String formField) {
            super(message, cause);
        }
    }
}
