import io.infrasteps.library.Checks
import io.infrasteps.library.SiteOutline

/*
 * infraSite: a reference to a site (one environment of the fleet) that the Infra Steps steps
 * accept. It returns a small Map of step arguments, so a pipeline writes
 *
 *     Map site = infraSite('stage-example')
 *     haproxyStatus(site)
 *     setHaproxy(site + [shard: 'stage-example-us-ashburn-1-s2', state: 'drain'])
 *
 * Forms (see infraSite.txt):
 *   infraSite('x') / infraSite(name: 'x')  the library's resources/sites/x.yaml, as its text: no node
 *                                          needed -> [siteYaml: '<the YAML text>']
 *   infraSite(file: 'path/site.yaml')      a site file already in the workspace (inside node) -> [siteFile: path]
 *   infraSite(configured: 'x')             a site configured in Jenkins' global configuration -> [site: 'x']
 *   any map form may add regions: ['r1', ...] to restrict steps to those regions.
 *
 *   infraSite.describe('x')                [name, regions, protected] of the library's site x (no node needed)
 *   infraSite.regionsOf('x', 'r1 r2', 'REGIONS')  the regions of site x a REGIONS parameter selects
 *                                          ('all' or empty: every region), checked against the site
 *
 * Names and paths are validated before any file is read. The site itself is parsed and validated by
 * the plugin's steps, not here. The siteYaml text is passed to steps only, never printed: messages name
 * the site by its name.
 */

Map call(Object spec) {
    Map request = Checks.siteRequest(spec)
    List problems = request.problems
    if (problems) {
        error(problems.join('\n'))
    }
    String value = request.value
    Map ref = [:]
    if (request.kind == 'resource') {
        ref.siteYaml = librarySiteText(value)
    } else if (request.kind == 'file') {
        if (!fileExists(value)) {
            error("infraSite: file: no site file ${Checks.preview(value)} in the workspace; check out the repository holding it first, or use infraSite('<name>') for a site shipped with the library")
        }
        ref.siteFile = value
    } else {
        ref.site = value
    }
    if (request.regions) {
        ref.regions = request.regions
    }
    return ref
}

/** The text of resources/sites/<name>.yaml, whose top-level name: must be <name>. Needs no node. */
String librarySiteText(String name) {
    String resource = "sites/${name}.yaml"
    String text = null
    try {
        text = libraryResource(resource)
    } catch (InterruptedException e) {
        throw e
    } catch (Exception e) {
        error("infraSite: name: the library has no site '${name}' (resources/${resource}): ${Checks.oneLine(e.getMessage())}")
    }
    String declared = Checks.topLevelName(text)
    if (declared != name) {
        error("infraSite: name: resources/${resource} describes site ${Checks.preview(declared)}, not '${name}'; its top-level name: must match the file name")
    }
    return text
}

/**
 * [name, regions, protected] of the library's site resources/sites/<name>.yaml, read with a line scan
 * (SiteOutline) before any node or lock: enough to check region parameters and to fan out per region.
 * The steps still parse and validate the whole file.
 */
Map describe(String name) {
    String problem = Checks.nameProblem('infraSite.describe: name', name)
    if (problem) {
        error(problem)
    }
    String text = librarySiteText(name)
    Map outline = SiteOutline.parse(text, "resources/sites/${name}.yaml".toString())
    List problems = outline.problems
    if (problems) {
        error("infraSite: ${problems[0]}".toString())
    }
    return [name: outline.name, regions: outline.regions, protected: outline.protected]
}

/**
 * The regions of the library's site <name> that {@code requested} selects: absent, empty or 'all' for
 * every region of the site, otherwise region names separated by spaces or commas (or a List), each of
 * which must be a region of the site. Fails the build naming {@code label} (the parameter) and listing
 * the site's regions. Returns the regions in the site's order. Needs no node.
 */
List<String> regionsOf(String name, Object requested, String label) {
    List<String> problems = []
    List<String> selected = Checks.regionSelection(label, requested, problems)
    if (problems) {
        error("infraSite.regionsOf: ${problems[0]}".toString())
    }
    Map site = describe(name)
    Map chosen = Checks.regionsOfSite(label, selected, name, site.regions)
    if (chosen.problem) {
        error("infraSite.regionsOf: ${chosen.problem}".toString())
    }
    return chosen.regions
}
