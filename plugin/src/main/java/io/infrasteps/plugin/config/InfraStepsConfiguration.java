package io.infrasteps.plugin.config;

import hudson.Extension;
import hudson.ExtensionList;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Site;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The "Infra Steps" section of Manage Jenkins → System: the sites steps can name. Configurable from the UI and
 * from Configuration as Code:
 * <pre>
 * unclassified:
 *   infraSteps:
 *     sites:
 *       - name: stage
 *         yaml: |
 *           name: stage
 *           ...
 * </pre>
 */
@Extension
@Symbol("infraSteps")
public class InfraStepsConfiguration extends GlobalConfiguration {

    private volatile List<SiteDefinition> sites = new ArrayList<>();

    public InfraStepsConfiguration() {
        load();
    }

    /** The Jenkins singleton. */
    public static InfraStepsConfiguration get() {
        return ExtensionList.lookupSingleton(InfraStepsConfiguration.class);
    }

    @Override
    public String getDisplayName() {
        return "Infra Steps";
    }

    public List<SiteDefinition> getSites() {
        return sites == null ? List.of() : Collections.unmodifiableList(sites);
    }

    /** Replaces the sites; names must be unique. Every YAML must parse, so a broken site is never saved. */
    @DataBoundSetter
    public void setSites(List<SiteDefinition> sites) {
        List<SiteDefinition> copy = new ArrayList<>(sites == null ? List.of() : sites);
        Set<String> names = new HashSet<>();
        for (SiteDefinition site : copy) {
            if (site == null) {
                throw new InvalidInputException("sites", "contains an empty entry", "a name and site YAML per entry");
            }
            if (!names.add(site.getName())) {
                throw new InvalidInputException("sites", "names site '" + site.getName() + "' twice", "unique site names");
            }
            site.parse();
        }
        this.sites = copy;
        save();
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        List<SiteDefinition> before = sites;
        // A form whose last site was deleted carries no "sites" key, so bindJSON would not call setSites.
        sites = new ArrayList<>();
        try {
            req.bindJSON(this, json);
        } catch (RuntimeException e) {
            sites = before;
            throw new FormException(rootMessage(e), e, "sites");
        }
        save();
        return true;
    }

    private static String rootMessage(Throwable e) {
        Throwable cur = e;
        while (cur.getCause() != null && cur.getCause() != cur) {
            if (cur instanceof InvalidInputException) {
                break;
            }
            cur = cur.getCause();
        }
        return cur.getMessage() == null ? cur.getClass().getSimpleName() : cur.getMessage();
    }

    /** The configured site names, in order. */
    public List<String> getSiteNames() {
        List<String> names = new ArrayList<>();
        getSites().forEach(s -> names.add(s.getName()));
        return names;
    }

    /**
     * The named site, parsed. Fails naming the {@code site} parameter when the name is malformed or not configured,
     * and naming the site when its YAML does not parse.
     */
    public Site getSite(String name) {
        Inputs.require("site", name, Inputs.DNS_LABEL);
        for (SiteDefinition site : getSites()) {
            if (site.getName().equals(name)) {
                return site.parse();
            }
        }
        throw new InvalidInputException("site", "names no configured site '" + name + "'",
                getSites().isEmpty() ? "a site configured in Manage Jenkins → System → Infra Steps (none is configured)"
                        : "one of " + getSiteNames());
    }
}
