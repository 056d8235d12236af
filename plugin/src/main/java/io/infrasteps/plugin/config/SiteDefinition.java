package io.infrasteps.plugin.config;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.StepArguments;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One site configured in Jenkins: a name steps refer to ({@code site: 'stage'}) and its site YAML
 * (docs/site-config.md). The YAML holds credential ids, never secrets.
 */
public class SiteDefinition extends AbstractDescribableImpl<SiteDefinition> {

    private final String name;
    private final String yaml;

    @DataBoundConstructor
    public SiteDefinition(String name, String yaml) {
        this.name = Inputs.require("name", StepArguments.fixEmpty(name), Inputs.DNS_LABEL);
        this.yaml = yaml == null ? "" : yaml;
    }

    public String getName() {
        return name;
    }

    public String getYaml() {
        return yaml;
    }

    /** Parses the YAML; errors name this site and the path of the offending value. */
    public Site parse() {
        return Site.parse(yaml, "site '" + name + "'");
    }

    /** The problem with a site YAML text, or null when it parses. Shared by form validation and tests. */
    static String yamlProblem(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            return "Site YAML is required (see docs/site-config.md).";
        }
        try {
            Site.parse(yaml, "yaml");
            return null;
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    /** The problem with a site name, or null. */
    static String nameProblem(String name) {
        try {
            Inputs.require("name", StepArguments.fixEmpty(name), Inputs.DNS_LABEL);
            return null;
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    @Override
    public String toString() {
        return "SiteDefinition[" + name + "]";
    }

    @Extension
    @Symbol("site")
    public static class DescriptorImpl extends Descriptor<SiteDefinition> {

        @Override
        public String getDisplayName() {
            return "Site";
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = nameProblem(value);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        /** Parses the YAML with the engine and shows its error, which names the path of the bad value. */
        @POST
        public FormValidation doCheckYaml(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = yamlProblem(value);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }
    }
}
