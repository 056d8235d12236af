package io.infrasteps.plugin.common;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** The descriptor of every {@link AbstractSshSiteStep}: the site form checks, the SSH key drop-down and the known_hosts check. */
public abstract class SshSiteStepDescriptor extends SiteStepDescriptor {

    /** SSH private key credentials the user may pick, after a permission check. */
    @POST
    public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
        return SshCredentialsDropDown.fill(item, credentialsId);
    }

    @POST
    public FormValidation doCheckKnownHosts(@AncestorInPath Item item, @QueryParameter String value) {
        return AbstractSshSiteStep.SSH_ARGUMENTS.formCheck(item, "knownHosts", value);
    }
}
