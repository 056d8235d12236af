package io.infrasteps.plugin.haproxy;

import hudson.AbortException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.plugin.common.AbstractSshSiteStep;
import io.infrasteps.plugin.common.SiteRef;
import io.infrasteps.plugin.common.StepArguments;
import io.infrasteps.plugin.common.StepArguments.Argument;
import java.util.List;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments every HAProxy step shares: which proxies (a configured {@code site}, a {@code siteFile} in the
 * workspace, the site YAML text as {@code siteYaml}, or explicit {@code proxies}), which {@code regions} of the site,
 * the SSH {@code credentialsId} and {@code knownHosts} for ssh:// runtime API addresses, and {@code tolerateFailures}.
 * Setters only record their value; {@link #HAPROXY_ARGUMENTS} says how each is checked when the step starts, and
 * {@link #validateTarget()} how they combine.
 */
public abstract class AbstractHaproxyStep extends AbstractSshSiteStep {

    /** How the target arguments combine, as errors show it. */
    static final String TARGET_FORM = "exactly one of site (a configured site), siteFile (site YAML in the workspace), "
            + "siteYaml (the site YAML text) or proxies (runtime API addresses)";

    static final Argument<AbstractHaproxyStep, List<String>> PROXIES = Argument.of("proxies", AbstractHaproxyStep.class,
            AbstractHaproxyStep::getProxies, StepArguments.list(ProxyEndpoint::explicit));
    static final Argument<AbstractHaproxyStep, List<String>> REGIONS = Argument.of("regions", AbstractHaproxyStep.class,
            AbstractHaproxyStep::getRegions, StepArguments.list((field, value) -> Inputs.require(field, value, Inputs.DNS_LABEL)));
    static final Argument<AbstractHaproxyStep, Boolean> TOLERATE_FAILURES = Argument.of("tolerateFailures", AbstractHaproxyStep.class,
            AbstractHaproxyStep::isTolerateFailures, StepArguments.FLAG);

    /** The arguments every HAProxy step takes, in the order they are checked. */
    static final StepArguments HAPROXY_ARGUMENTS = SITE_ARGUMENTS.with(PROXIES, REGIONS, CREDENTIALS_ID, KNOWN_HOSTS, TOLERATE_FAILURES);

    private List<String> proxies;
    private List<String> regions;
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
        this.proxies = StepArguments.given(proxies);
    }

    public List<String> getRegions() {
        return regions;
    }

    /** Regions of the site to act on; all when not given. */
    @DataBoundSetter
    public void setRegions(List<String> regions) {
        this.regions = StepArguments.given(regions);
    }

    public boolean isTolerateFailures() {
        return tolerateFailures;
    }

    /** Report failed proxies in the result instead of failing the step. */
    @DataBoundSetter
    public void setTolerateFailures(boolean tolerateFailures) {
        this.tolerateFailures = tolerateFailures;
    }

    /** The checked proxies, or null. */
    List<String> proxies() {
        return PROXIES.value(this);
    }

    /** The checked regions, or null (all regions). */
    List<String> regions() {
        return REGIONS.value(this);
    }

    /**
     * How the target arguments combine: exactly one of site, siteFile, siteYaml and proxies; regions only with a
     * site. The site reference (with siteYaml parsed), or null for explicit proxies. Checks every argument first.
     */
    SiteRef validateTarget() throws AbortException {
        validateArguments();
        SiteRef site = chooseTarget("proxies", proxies() != null, TARGET_FORM);
        if (regions() != null && proxies() != null) {
            throw abort(new InvalidInputException("regions", "applies only to a site",
                    "site, siteFile or siteYaml with regions, or proxies alone"));
        }
        return site;
    }
}
