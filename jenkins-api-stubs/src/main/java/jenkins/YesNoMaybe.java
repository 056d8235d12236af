package jenkins;

/** Stand-in for {@code jenkins.YesNoMaybe}, the type of {@code Extension.dynamicLoadable()}. */
public enum YesNoMaybe {
    YES,
    NO,
    MAYBE
}
