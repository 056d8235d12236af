package io.infrasteps.library.test

/**
 * What Jenkins throws when a step that needs a workspace (writeFile, readFile, fileExists, a plugin
 * step given siteFile) runs outside node: org.jenkinsci.plugins.workflow.steps.MissingContextVariableException.
 */
class MissingContext extends Exception {
    MissingContext(String step) {
        super("${step}: Required context class hudson.FilePath is missing\nPerhaps you forgot to surround the code with a step that provides this, such as: node".toString())
    }
}
