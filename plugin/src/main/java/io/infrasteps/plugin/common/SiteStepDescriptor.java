package io.infrasteps.plugin.common;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The descriptor of every {@link AbstractSiteStep}: its required context and the form checks of the site arguments
 * ({@code site}, {@code siteFile}, {@code siteYaml}), with the same rules and messages as when the step starts. Jenkins
 * finds these public {@code doCheckX} web methods on the descriptor's superclasses ({@code Descriptor.CheckMethod}
 * looks them up among the descriptor class's public methods); the help of the site arguments lives once beside
 * {@link AbstractSiteStep} ({@code Descriptor.getHelpFile} walks the step class's ancestors).
 */
public abstract class SiteStepDescriptor extends StepDescriptor {

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        // A workspace (FilePath) is used only for siteFile, and asked for then; site, siteYaml (and proxies) need none.
        return Set.of(Run.class, TaskListener.class);
    }

    /** Checks the site YAML typed into the Snippet Generator, as the step will when it starts. */
    @POST
    public FormValidation doCheckSiteYaml(@AncestorInPath Item item, @QueryParameter String value) {
        return SiteYamlCheck.check(item, value);
    }

    /** Checks a form field as the step will when it starts. */
    @POST
    public FormValidation doCheckSite(@AncestorInPath Item item, @QueryParameter String value) {
        return AbstractSiteStep.SITE_ARGUMENTS.formCheck(item, "site", value);
    }

    @POST
    public FormValidation doCheckSiteFile(@AncestorInPath Item item, @QueryParameter String value) {
        return AbstractSiteStep.SITE_ARGUMENTS.formCheck(item, "siteFile", value);
    }
}
