package io.infrasteps.plugin.common;

import hudson.AbortException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments of steps that work on a site: a configured {@code site}, a {@code siteFile} in the workspace, or the
 * site YAML text as {@code siteYaml} (a subclass may accept another target, such as explicit proxies, through
 * {@link #chooseTarget}). Only a {@code siteFile} needs a workspace. The name-like setters validate their value and
 * name the argument in their error; {@link #siteRef()} checks that exactly one is given and parses {@code siteYaml}.
 */
public abstract class AbstractSiteStep extends Step {

    private String site;
    private String siteFile;
    private String siteYaml;
    /** siteYaml was given as an empty or blank text: an error unless another site argument is given. */
    private boolean siteYamlBlank;

    /** The Pipeline function name, used in messages. */
    protected abstract String functionName();

    public String getSite() {
        return site;
    }

    /** The name of a site configured in Manage Jenkins → System → Infra Steps. */
    @DataBoundSetter
    public void setSite(String site) {
        this.site = StepArguments.optional("site", site, Inputs.DNS_LABEL);
    }

    public String getSiteFile() {
        return siteFile;
    }

    /** A site YAML file in the workspace, relative to it. */
    @DataBoundSetter
    public void setSiteFile(String siteFile) {
        this.siteFile = StepArguments.relativePath("siteFile", siteFile);
    }

    public String getSiteYaml() {
        return siteYaml;
    }

    /**
     * The site YAML text itself (e.g. {@code libraryResource('sites/stage.yaml')}): no workspace needed. Kept as
     * given and checked by {@link #siteRef()} when the step starts, not here: an exception from a setter reaches the
     * build log through Pipeline's argument binding, which prints every argument's value, this whole text included.
     * A blank text (a form's empty field) means not given, unless nothing else names the site.
     */
    @DataBoundSetter
    public void setSiteYaml(String siteYaml) {
        boolean blank = siteYaml == null || siteYaml.isBlank();
        this.siteYaml = blank ? null : siteYaml;
        this.siteYamlBlank = siteYaml != null && blank;
    }

    /** Exactly one of site, siteFile and siteYaml, as a reference an execution can keep across a restart. */
    public SiteRef siteRef() throws AbortException {
        return chooseTarget(null, false, null);
    }

    /**
     * Exactly one of site, siteFile, siteYaml and, when {@code otherName} is not null, that other target argument
     * ({@code otherGiven} says whether it was given); {@code allowed} is the allowed combination shown in errors. Null
     * when the other argument is the one given; otherwise the site reference, with {@code siteYaml} parsed.
     */
    protected final SiteRef chooseTarget(String otherName, boolean otherGiven, String allowed) throws AbortException {
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
