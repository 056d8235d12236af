package io.infrasteps.plugin.common;

import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.SshOptions;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.StepArguments.Argument;
import java.io.IOException;
import java.util.List;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The arguments of site steps that reach HAProxy runtime APIs, possibly over {@code ssh://}: the SSH
 * {@code credentialsId} and {@code knownHosts}, each defaulting to the site's ({@code credentials.ssh},
 * {@code haproxy.knownHosts}). Setters only record their value; {@link #CREDENTIALS_ID} and {@link #KNOWN_HOSTS} say
 * how each is checked when the step starts (each step places them in its own table of arguments).
 */
public abstract class AbstractSshSiteStep extends AbstractSiteStep {

    public static final Argument<AbstractSshSiteStep, String> CREDENTIALS_ID = Argument.of("credentialsId", AbstractSshSiteStep.class,
            AbstractSshSiteStep::getCredentialsId, StepArguments.name(Inputs.CREDENTIALS_ID));
    public static final Argument<AbstractSshSiteStep, String> KNOWN_HOSTS = Argument.of("knownHosts", AbstractSshSiteStep.class,
            AbstractSshSiteStep::getKnownHosts, StepArguments.KNOWN_HOSTS);

    /** The SSH arguments alone, for the form checks ({@link SshSiteStepDescriptor}). */
    public static final StepArguments SSH_ARGUMENTS = StepArguments.of(CREDENTIALS_ID, KNOWN_HOSTS);

    private String credentialsId;
    private String knownHosts;

    public String getCredentialsId() {
        return credentialsId;
    }

    /** SSH private key credential for ssh:// proxies; defaults to the site's credentials.ssh. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = StepArguments.given(credentialsId);
    }

    public String getKnownHosts() {
        return knownHosts;
    }

    /** known_hosts lines for ssh:// proxies; defaults to the site's haproxy.knownHosts. */
    @DataBoundSetter
    public void setKnownHosts(String knownHosts) {
        this.knownHosts = StepArguments.given(knownHosts);
    }

    /** The checked credential id, or null. */
    public String credentialsId() {
        return CREDENTIALS_ID.value(this);
    }

    /** The checked known_hosts text, or null. */
    public String knownHosts() {
        return KNOWN_HOSTS.value(this);
    }

    /**
     * The SSH options for {@code proxies} ({@link SshAccess#optionsFor}): the step's credentialsId, else the
     * credentials.ssh of {@code site} (errors then name "credentials.ssh of {@code description}"); the step's
     * knownHosts, else the site's haproxy.knownHosts. {@code site} is null for explicit proxies. Null when no proxy
     * is reached over SSH; the caller wipes the options.
     */
    public final SshOptions sshOptions(List<ProxyEndpoint> proxies, Site site, String description, StepServices services)
            throws IOException, InterruptedException {
        String id = credentialsId();
        String field = "credentialsId";
        if (id == null && site != null && site.credentials() != null && site.credentials().ssh() != null) {
            id = site.credentials().ssh();
            field = "credentials.ssh of " + description;
        }
        String hosts = knownHosts() != null ? knownHosts() : site != null ? site.knownHosts() : null;
        return SshAccess.optionsFor(proxies, id, field, hosts, services);
    }
}
