package io.infrasteps.plugin.haproxy;

import hudson.AbortException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.plugin.common.StepArguments;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments every HAProxy step shares: which proxies (a configured {@code site}, a {@code siteFile} in the
 * workspace, or explicit {@code proxies}), which {@code regions} of the site, the SSH {@code credentialsId} and
 * {@code knownHosts} for ssh:// runtime API addresses, and {@code tolerateFailures}. Each setter validates its value
 * and names the argument in its error; {@link #validateTarget()} checks how they combine before the step starts.
 */
public abstract class AbstractHaproxyStep extends Step {

    private String site;
    private String siteFile;
    private List<String> proxies;
    private List<String> regions;
    private String credentialsId;
    private String knownHosts;
    private boolean tolerateFailures;

    /** The Pipeline function name, used in messages. */
    abstract String functionName();

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

    public List<String> getProxies() {
        return proxies;
    }

    /** Runtime API addresses, used instead of a site. */
    @DataBoundSetter
    public void setProxies(List<String> proxies) {
        this.proxies = StepArguments.list("proxies", proxies, ProxyEndpoint::explicit);
    }

    public List<String> getRegions() {
        return regions;
    }

    /** Regions of the site to act on; all when not given. */
    @DataBoundSetter
    public void setRegions(List<String> regions) {
        this.regions = StepArguments.list("regions", regions, (field, value) -> Inputs.require(field, value, Inputs.DNS_LABEL));
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** SSH private key credential for ssh:// proxies; defaults to the site's credentials.ssh. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = StepArguments.optional("credentialsId", credentialsId, Inputs.CREDENTIALS_ID);
    }

    public String getKnownHosts() {
        return knownHosts;
    }

    /** known_hosts lines for ssh:// proxies; defaults to the site's haproxy.knownHosts. */
    @DataBoundSetter
    public void setKnownHosts(String knownHosts) {
        this.knownHosts = StepArguments.knownHosts("knownHosts", knownHosts);
    }

    public boolean isTolerateFailures() {
        return tolerateFailures;
    }

    /** Report failed proxies in the result instead of failing the step. */
    @DataBoundSetter
    public void setTolerateFailures(boolean tolerateFailures) {
        this.tolerateFailures = tolerateFailures;
    }

    /** How the target arguments combine: exactly one of site, siteFile and proxies; regions only with a site. */
    void validateTarget() throws AbortException {
        int given = (site != null ? 1 : 0) + (siteFile != null ? 1 : 0) + (proxies != null ? 1 : 0);
        if (given != 1) {
            throw abort(new InvalidInputException(given == 0 ? "site" : "site, siteFile, proxies",
                    given == 0 ? "is required" : "are given together",
                    "exactly one of site (a configured site), siteFile (site YAML in the workspace) or proxies (runtime API addresses)"));
        }
        if (regions != null && proxies != null) {
            throw abort(new InvalidInputException("regions", "applies only to a site", "site or siteFile with regions, or proxies alone"));
        }
    }

    AbortException abort(InvalidInputException e) {
        return new AbortException(functionName() + ": " + e.getMessage());
    }
}
