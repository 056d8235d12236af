package hudson.model;

/** Stand-in for {@code hudson.model.ItemGroup}; no member is used. */
public interface ItemGroup<T extends Item> {
}
