package io.infrasteps.library.test

/** What a plugin step throws when it fails the build (hudson.AbortException, an IOException). */
class StepFailure extends IOException {
    StepFailure(String message) {
        super(message)
    }
}
