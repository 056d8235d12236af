package io.infrasteps.plugin.common;

import hudson.AbortException;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Site;
import java.io.IOException;
import java.io.Serializable;

/**
 * Which site a step works on, as saved with an execution that outlives a controller restart: the name of a site
 * configured in Jenkins, the workspace-relative path of a site file, or the site YAML text itself ({@code siteYaml},
 * e.g. a shared library's {@code libraryResource('sites/stage.yaml')}). Never credentials: a site holds credential
 * ids only, and the credentials are looked up again after a restart. A name or a path is resolved again after a
 * restart; the YAML text is kept as given and parsed again, so resuming needs neither a workspace nor the library.
 */
public final class SiteRef implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Largest {@code siteYaml} accepted, in bytes of UTF-8: the bound of a {@code siteFile}. */
    public static final int MAX_YAML_BYTES = WorkspaceSiteFile.MAX_BYTES;

    /** The allowed form of {@code siteYaml}, as error messages show it. */
    public static final String YAML_FORM = "the text of a site YAML (docs/site-config.md), e.g. libraryResource('sites/stage.yaml'), "
            + "at most " + MAX_YAML_BYTES + " bytes of UTF-8";

    /** How the site arguments combine, as error messages show it. */
    public static final String ONE_OF = "exactly one of site (a configured site), siteFile (site YAML in the workspace) "
            + "or siteYaml (the site YAML text)";

    /** The name {@code siteYaml} errors start with; the parser's paths follow it ("siteYaml: regions[0].name: ..."). */
    static final String YAML_SOURCE = "siteYaml";

    private final String name;
    private final String file;
    /** The site YAML text given as {@code siteYaml} (credential ids only, no secret), or null. */
    private final String yaml;

    private SiteRef(String name, String file, String yaml) {
        this.name = name;
        this.file = file;
        this.yaml = yaml;
    }

    /** Exactly one of {@code site} (already validated) and {@code siteFile} (already validated). */
    public static SiteRef of(String site, String siteFile) {
        return of(site, siteFile, null);
    }

    /**
     * Exactly one of {@code site} and {@code siteFile} (already validated by their setters) and {@code siteYaml}
     * (parsed here: a bad text fails naming {@code siteYaml} and the path of the bad value, never echoing it).
     */
    public static SiteRef of(String site, String siteFile, String siteYaml) {
        int given = (site != null ? 1 : 0) + (siteFile != null ? 1 : 0) + (siteYaml != null ? 1 : 0);
        if (given == 0) {
            throw new InvalidInputException("site, siteFile, siteYaml", "none is given", ONE_OF);
        }
        if (given > 1) {
            StringBuilder fields = new StringBuilder();
            for (String[] f : new String[][] {{"site", site}, {"siteFile", siteFile}, {"siteYaml", siteYaml}}) {
                if (f[1] != null) {
                    fields.append(fields.length() == 0 ? "" : ", ").append(f[0]);
                }
            }
            throw new InvalidInputException(fields.toString(), "are given together", ONE_OF);
        }
        if (site != null) {
            return configured(site);
        }
        return siteFile != null ? file(siteFile) : yaml(siteYaml);
    }

    /** A site configured in Jenkins (the name already validated). */
    public static SiteRef configured(String site) {
        return new SiteRef(site, null, null);
    }

    /** A site file in the workspace. */
    public static SiteRef file(String siteFile) {
        String path = StepArguments.relativePath("siteFile", siteFile);
        if (path == null) {
            throw new InvalidInputException("siteFile", "is empty", StepArguments.RELATIVE_PATH_FORM);
        }
        return new SiteRef(null, path, null);
    }

    /** The site YAML text, checked at once: bounded like a site file, and parsed by the engine. */
    public static SiteRef yaml(String siteYaml) {
        parseYaml(siteYaml);
        return new SiteRef(null, null, siteYaml);
    }

    /**
     * Parses {@code siteYaml} text with the engine ({@code Site.parse(text, "siteYaml")}). Fails with an
     * {@link InvalidInputException} whose field starts with {@code siteYaml} and whose message names the path of the
     * bad value and never contains the text. Touches nothing but the string.
     */
    public static Site parseYaml(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(YAML_SOURCE, "is empty", YAML_FORM);
        }
        long bytes = utf8Length(text, MAX_YAML_BYTES + 1L);
        if (bytes > MAX_YAML_BYTES) {
            throw new InvalidInputException(YAML_SOURCE, "is larger than " + MAX_YAML_BYTES + " bytes of UTF-8", YAML_FORM);
        }
        try {
            return Site.parse(text, YAML_SOURCE);
        } catch (InvalidInputException e) {
            String root = YAML_SOURCE + ": site";
            if (e.field().equals(root)) {
                // The document is not a mapping (a list, a scalar): that is siteYaml itself, not a key of it.
                throw new InvalidInputException(YAML_SOURCE, e.getMessage().substring(root.length() + 2), null);
            }
            throw e;
        } catch (RuntimeException e) {
            // The parser's own failures carry excerpts of the input: never shown, only their kind.
            throw new InvalidInputException(YAML_SOURCE, "could not be read as YAML (" + e.getClass().getSimpleName() + ")", YAML_FORM);
        }
    }

    /** The UTF-8 length of {@code text}, counting no further than {@code limit}. */
    static long utf8Length(CharSequence text, long limit) {
        long bytes = 0;
        for (int i = 0; i < text.length() && bytes < limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * How {@code siteYaml} is shown among a step's displayed arguments: {@code <site YAML: stage, 2 regions>} (the
     * site's name is a validated DNS label), never the text; {@code <site YAML: not valid>} when it does not parse.
     */
    public static String summary(CharSequence text) {
        if (text == null) {
            return null;
        }
        Site site;
        try {
            site = parseYaml(text.toString());
        } catch (InvalidInputException e) {
            return "<site YAML: not valid>";
        }
        int regions = site.regions().size();
        return "<site YAML: " + site.name() + ", " + regions + " region" + (regions == 1 ? "" : "s") + ">";
    }

    /** The configured site's name, or null. */
    public String name() {
        return name;
    }

    /** The workspace-relative site file, or null. */
    public String file() {
        return file;
    }

    /** The argument that named the site: site, siteFile or siteYaml. */
    public String argument() {
        return name != null ? "site" : file != null ? "siteFile" : YAML_SOURCE;
    }

    /** True when the site was given as its YAML text. */
    public boolean isYaml() {
        return yaml != null;
    }

    /** True when resolving needs the build's workspace (only a site file does). */
    public boolean needsWorkspace() {
        return file != null;
    }

    /** Parses the site; a site file is read where the workspace lives. Errors name the parameter. */
    public Site resolve(StepServices services) throws IOException, InterruptedException {
        if (name != null) {
            return services.configuredSite(name);
        }
        if (yaml != null) {
            return parseYaml(yaml);
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

    /** "site 'stage'", "site 'stage' (sites/stage.yaml)" or "site 'stage' (siteYaml)". */
    public String describe(Site site) {
        if (name != null) {
            return "site '" + name + "'";
        }
        return "site '" + site.name() + "' (" + (yaml != null ? YAML_SOURCE : file) + ")";
    }

    /** "site stage", "siteFile sites/stage.yaml" or "siteYaml <site YAML: stage, 2 regions>": never the YAML text. */
    @Override
    public String toString() {
        if (name != null) {
            return "site " + name;
        }
        return file != null ? "siteFile " + file : "siteYaml " + summary(yaml);
    }
}
