import io.infrasteps.library.Checks

/*
 * infraSite: a reference to a site (one environment of the fleet) that the Infra Steps steps
 * accept. It returns a small Map of step arguments, so a pipeline writes
 *
 *     Map site = infraSite('stage-example')
 *     haproxyStatus(site)
 *     setHaproxy(site + [shard: 'stage-example-us-ashburn-1-s2', state: 'drain'])
 *
 * Forms (see infraSite.txt):
 *   infraSite('x') / infraSite(name: 'x')  the library's resources/sites/x.yaml, copied into the
 *                                          workspace (needs a node) -> [siteFile: '.infra-steps/sites/x.yaml']
 *   infraSite(file: 'path/site.yaml')      a site file already in the workspace -> [siteFile: path]
 *   infraSite(configured: 'x')             a site configured in Jenkins' global configuration -> [site: 'x']
 *   any map form may add regions: ['r1', ...] to restrict steps to those regions.
 *
 * Names and paths are validated before any file is read or written. The site file itself is
 * parsed and validated by the plugin's steps, not here.
 */

/** Folder, relative to the workspace, that library site files are copied to. */
String workspaceFolder() {
    return '.infra-steps/sites'
}

Map call(Object spec) {
    Map request = Checks.siteRequest(spec)
    List problems = request.problems
    if (problems) {
        error(problems.join('\n'))
    }
    String value = request.value
    Map ref = [:]
    if (request.kind == 'resource') {
        ref.siteFile = copyLibrarySite(value)
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

/** Copies resources/sites/<name>.yaml into the workspace and returns its workspace path. */
String copyLibrarySite(String name) {
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
    String path = "${workspaceFolder()}/${name}.yaml"
    writeFile(file: path, text: text, encoding: 'UTF-8')
    return path
}
