package io.infrasteps.plugin.common;

import hudson.AbortException;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Site;
import java.io.IOException;
import java.io.Serializable;

/**
 * Which site a step works on, as saved with an execution that outlives a controller restart: the name of a site
 * configured in Jenkins or the workspace-relative path of a site file. Only the reference is kept (no site content,
 * no credentials); it is resolved again after a restart.
 */
public final class SiteRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String file;

    private SiteRef(String name, String file) {
        this.name = name;
        this.file = file;
    }

    /** Exactly one of {@code site} (already validated) and {@code siteFile} (already validated). */
    public static SiteRef of(String site, String siteFile) {
        if ((site == null) == (siteFile == null)) {
            throw new InvalidInputException(site == null ? "site" : "site, siteFile", site == null ? "is required" : "are given together",
                    "exactly one of site (a configured site) or siteFile (site YAML in the workspace)");
        }
        return new SiteRef(site, site == null ? StepArguments.relativePath("siteFile", siteFile) : null);
    }

    /** The configured site's name, or null. */
    public String name() {
        return name;
    }

    /** The workspace-relative site file, or null. */
    public String file() {
        return file;
    }

    /** Parses the site; a site file is read where the workspace lives. Errors name the parameter. */
    public Site resolve(StepServices services) throws IOException, InterruptedException {
        if (name != null) {
            return services.configuredSite(name);
        }
        String text;
        try {
            text = services.actOnWorkspace(new WorkspaceSiteFile("siteFile", file));
        } catch (AbortException e) {
            throw e;
        } catch (IOException e) {
            throw new AbortException(e.getMessage());
        }
        return Site.parse(text, "siteFile '" + file + "'");
    }

    /** "site 'stage'" or "site 'stage' (sites/stage.yaml)". */
    public String describe(Site site) {
        return name != null ? "site '" + name + "'" : "site '" + site.name() + "' (" + file + ")";
    }

    @Override
    public String toString() {
        return name != null ? "site " + name : "siteFile " + file;
    }
}
