// Calls multiRegion as a Jenkinsfile would, for tests that run it in CPS mode.
// params: REGIONS (list), OPTIONS (map), FAIL (regions whose body fails with the error step).
@Library('infra-steps') _

return multiRegion(params.REGIONS, params.OPTIONS) { String region ->
    if (params.FAIL.contains(region)) {
        error("${region} refused".toString())
    }
    return region.length()
}
