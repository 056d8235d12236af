// Calls every var that runs a plugin step with one site, as a Jenkinsfile would.
// params: SITE (an infraSite argument: a name, [configured: ...] or [file: ...]), IN_NODE (take a node
// around it all, as a site file in the workspace needs), ENVIRONMENT.
@Library('infra-steps') _

Map everyVar(Object spec, String env) {
    Map site = infraSite(spec)
    Map out = [:]
    out.states = shardStates.apply(site, environment: env, drain: "${env}-us-ashburn-1-s1".toString())
    out.validation = shardValidation.validate(site, environment: env, release: 42)
    out.ga = setReleaseGa(site, environment: env, release: 42)
    out.monitor = haproxyMonitor.check(site, environment: env, regions: ['us-ashburn-1'])
    out.change = haproxyChange.apply(site, environment: env, health: 'up')
    return out
}

if (params.IN_NODE) {
    Map out = null
    node {
        out = everyVar(params.SITE, params.ENVIRONMENT)
    }
    return out
}
return everyVar(params.SITE, params.ENVIRONMENT)
