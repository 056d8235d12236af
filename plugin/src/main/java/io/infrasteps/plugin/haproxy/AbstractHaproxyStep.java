package io.infrasteps.plugin.haproxy;

import hudson.AbortException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.plugin.common.AbstractSiteStep;
import io.infrasteps.plugin.common.SiteRef;
import io.infrasteps.plugin.common.StepArguments;
import java.util.List;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments every HAProxy step shares: which proxies (a configured {@code site}, a {@code siteFile} in the
 * workspace, the site YAML text as {@code siteYaml}, or explicit {@code proxies}), which {@code regions} of the site,
 * the SSH {@code credentialsId} and {@code knownHosts} for ssh:// runtime API addresses, and {@code tolerateFailures}.
 * Each setter validates its value and names the argument in its error ({@code siteYaml} is checked when the step
 * starts); {@link #validateTarget()} checks how they combine before the step starts.
 */
public abstract class AbstractHaproxyStep extends AbstractSiteStep {

    /** How the target arguments combine, as errors show it. */
    static final String TARGET_FORM = "exactly one of site (a configured site), siteFile (site YAML in the workspace), "
            + "siteYaml (the site YAML text) or proxies (runtime API addresses)";

    private List<String> proxies;
    private List<String> regions;
    private String credentialsId;
    private String knownHosts;
    private boolean tolerateFailures;

    /** The Pipeline function name, used in messages. */
    @Override
    protected abstract String functionName();

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

    /**
     * How the target arguments combine: exactly one of site, siteFile, siteYaml and proxies; regions only with a
     * site. The site reference (with siteYaml parsed), or null for explicit proxies.
     */
    SiteRef validateTarget() throws AbortException {
        SiteRef site = chooseTarget("proxies", proxies != null, TARGET_FORM);
        if (regions != null && proxies != null) {
            throw abort(new InvalidInputException("regions", "applies only to a site",
                    "site, siteFile or siteYaml with regions, or proxies alone"));
        }
        return site;
    }
}
