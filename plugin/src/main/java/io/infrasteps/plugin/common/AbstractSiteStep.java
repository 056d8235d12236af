package io.infrasteps.plugin.common;

import hudson.AbortException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.plugin.common.StepArguments.Argument;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments of steps that work on a site: a configured {@code site}, a {@code siteFile} in the workspace, or the
 * site YAML text as {@code siteYaml} (a subclass may accept another target, such as explicit proxies, through
 * {@link #chooseTarget}). Only a {@code siteFile} needs a workspace.
 *
 * <p>Setters only record what they are given and never throw: Pipeline binds arguments through structs'
 * {@code DescribableModel.instantiate}, which wraps an exception from a setter in a message printing every argument's
 * value (a rejected value, the whole site YAML text). Every argument is checked when the step starts instead
 * ({@link #start} calls {@link #validateArguments()}, then the subclass's {@link #execution}), against the step's
 * table of arguments ({@link #arguments()}), before anything is resolved, read or contacted; the getters return what
 * was set, so the Snippet Generator round-trips.
 */
public abstract class AbstractSiteStep extends Step {

    /** The name of a site configured in Jenkins. */
    public static final Argument<AbstractSiteStep, String> SITE =
            Argument.of("site", AbstractSiteStep.class, AbstractSiteStep::getSite, StepArguments.name(Inputs.DNS_LABEL));
    /** A site YAML file in the workspace. */
    public static final Argument<AbstractSiteStep, String> SITE_FILE =
            Argument.of("siteFile", AbstractSiteStep.class, AbstractSiteStep::getSiteFile, StepArguments.RELATIVE_PATH);
    /**
     * The site YAML text: kept as given, parsed by {@link #chooseTarget} once it is known to be the one site argument
     * given; displayed as a summary ({@link SiteRef#summary}), never as the text.
     */
    public static final Argument<AbstractSiteStep, String> SITE_YAML = Argument
            .of("siteYaml", AbstractSiteStep.class, AbstractSiteStep::getSiteYaml,
                    (field, value) -> StepArguments.string(field, value, SiteRef.YAML_FORM))
            .displayedAs(value -> value instanceof CharSequence ? SiteRef.summary((CharSequence) value) : StepArguments.INVALID);

    /** The arguments every site step takes, checked first. */
    public static final StepArguments SITE_ARGUMENTS = StepArguments.of(SITE, SITE_FILE, SITE_YAML);

    private String site;
    private String siteFile;
    private String siteYaml;
    /** siteYaml was given as an empty or blank text: an error unless another site argument is given. */
    private boolean siteYamlBlank;

    /** The Pipeline function name, used in messages. */
    protected abstract String functionName();

    /** Every argument of this step ({@link #SITE_ARGUMENTS} and the step's own), in the order they are checked. */
    public abstract StepArguments arguments();

    public String getSite() {
        return site;
    }

    /** The name of a site configured in Manage Jenkins → System → Infra Steps. */
    @DataBoundSetter
    public void setSite(String site) {
        this.site = StepArguments.given(site);
    }

    public String getSiteFile() {
        return siteFile;
    }

    /** A site YAML file in the workspace, relative to it. */
    @DataBoundSetter
    public void setSiteFile(String siteFile) {
        this.siteFile = StepArguments.given(siteFile);
    }

    public String getSiteYaml() {
        return siteYaml;
    }

    /**
     * The site YAML text itself (e.g. {@code libraryResource('sites/stage.yaml')}): no workspace needed. Kept as
     * given and parsed by {@link #siteRef()} when the step starts. A blank text (a form's empty field) means not
     * given, unless nothing else names the site.
     */
    @DataBoundSetter
    public void setSiteYaml(String siteYaml) {
        boolean blank = siteYaml == null || siteYaml.isBlank();
        this.siteYaml = blank ? null : siteYaml;
        this.siteYamlBlank = siteYaml != null && blank;
    }

    /**
     * Checks every argument (the form of each value, in the order of {@link #arguments()}), then creates the execution
     * ({@link #execution}, which checks how they combine). Nothing is resolved, read or contacted before.
     */
    @Override
    public final StepExecution start(StepContext context) throws Exception {
        validateArguments();
        return execution(context);
    }

    /**
     * The execution, once every argument's value is valid: checks how the arguments combine ({@link #siteRef()} and
     * the step's own rules), still before anything is resolved or contacted, then creates it.
     */
    protected abstract StepExecution execution(StepContext context) throws Exception;

    /**
     * Checks the value of every argument, in the order of {@link #arguments()}, and fails with the first that is
     * not valid: "{@code <function>: <argument>: <problem>; allowed: <form>}", never with the value itself.
     */
    public final void validateArguments() throws AbortException {
        try {
            arguments().validate(this);
        } catch (InvalidInputException e) {
            throw abort(e);
        }
    }

    /** Exactly one of site, siteFile and siteYaml, as a reference an execution can keep across a restart. */
    public SiteRef siteRef() throws AbortException {
        return chooseTarget(null, false, null);
    }

    /**
     * Exactly one of site, siteFile, siteYaml and, when {@code otherName} is not null, that other target argument
     * ({@code otherGiven} says whether it was given); {@code allowed} is the allowed combination shown in errors. Null
     * when the other argument is the one given; otherwise the site reference, with {@code siteYaml} parsed. Checks
     * every argument first ({@link #validateArguments()}).
     */
    protected final SiteRef chooseTarget(String otherName, boolean otherGiven, String allowed) throws AbortException {
        validateArguments();
        String site = SITE.value(this);
        String siteFile = SITE_FILE.value(this);
        String oneOf = allowed != null ? allowed : SiteRef.ONE_OF;
        List<String> given = new ArrayList<>();
        List<String> all = new ArrayList<>(List.of("site", "siteFile", "siteYaml"));
        if (site != null) {
            given.add("site");
        }
        if (siteFile != null) {
            given.add("siteFile");
        }
        if (siteYaml != null) {
            given.add("siteYaml");
        }
        if (otherName != null) {
            all.add(otherName);
            if (otherGiven) {
                given.add(otherName);
            }
        }
        if (given.isEmpty()) {
            if (siteYamlBlank) {
                throw abort(new InvalidInputException("siteYaml", "is empty", SiteRef.YAML_FORM));
            }
            throw abort(new InvalidInputException(String.join(", ", all), "none is given", oneOf));
        }
        if (given.size() > 1) {
            throw abort(new InvalidInputException(String.join(", ", given), "are given together", oneOf));
        }
        if (otherGiven) {
            return null;
        }
        try {
            return SiteRef.of(site, siteFile, siteYaml);
        } catch (InvalidInputException e) {
            throw abort(e);
        }
    }

    protected AbortException abort(InvalidInputException e) {
        return new AbortException(functionName() + ": " + e.getMessage());
    }
}
