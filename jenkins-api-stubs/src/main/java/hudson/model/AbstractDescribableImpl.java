package hudson.model;

/** Stand-in for {@code hudson.model.AbstractDescribableImpl}. */
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
    public AbstractDescribableImpl() {
    }
}
