package hudson.util;

/** Stand-in for {@code hudson.util.ListBoxModel} (really an {@code ArrayList} of options); no member is used. */
public class ListBoxModel {
    public ListBoxModel() {
    }
}
