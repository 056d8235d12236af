package hudson.model;

/** Stand-in for {@code hudson.model.Describable}. */
public interface Describable<T extends Describable<T>> {
    default Descriptor<T> getDescriptor() {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }
}
