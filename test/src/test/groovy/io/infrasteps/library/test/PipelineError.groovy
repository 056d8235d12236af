package io.infrasteps.library.test

/** What the mocked error step throws, as Jenkins' error step throws hudson.AbortException. */
class PipelineError extends IOException {
    PipelineError(String message) {
        super(message)
    }
}
