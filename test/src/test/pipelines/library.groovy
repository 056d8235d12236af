// Loads the infra-steps library so a test can call its global variables from the binding.
@Library('infra-steps') _

return this
