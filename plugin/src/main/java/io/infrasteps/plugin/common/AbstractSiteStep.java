package io.infrasteps.plugin.common;

import hudson.AbortException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments of steps that work on a whole site through Consul: a configured {@code site} or a {@code siteFile}
 * in the workspace (never bare proxies: Consul endpoints, regions and datacenters come from the site). Each setter
 * validates its value and names the argument in its error; {@link #siteRef()} checks that exactly one is given.
 */
public abstract class AbstractSiteStep extends Step {

    private String site;
    private String siteFile;

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

    /** Exactly one of site and siteFile, as a reference an execution can keep across a restart. */
    protected SiteRef siteRef() throws AbortException {
        try {
            return SiteRef.of(site, siteFile);
        } catch (InvalidInputException e) {
            throw abort(e);
        }
    }

    protected AbortException abort(InvalidInputException e) {
        return new AbortException(functionName() + ": " + e.getMessage());
    }
}
