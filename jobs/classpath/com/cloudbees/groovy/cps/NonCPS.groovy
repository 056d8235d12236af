package com.cloudbees.groovy.cps

import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

/**
 * A stand-in of Pipeline's @NonCPS annotation (groovy-cps, in the Pipeline: Groovy plugin) for the Job
 * DSL seed only. The seed uses the shared library's classes from src/ (SiteOutline, Checks), whose
 * methods carry @NonCPS; a Job DSL script is compiled with the Job DSL plugin's class loader, which
 * need not see Pipeline's classes. The seed job puts jobs/classpath on its Additional classpath after
 * src: where the real annotation is visible it is used (a class loader asks its parents first), and
 * this one is compiled only where it is not. An annotation has no behaviour: nothing else changes.
 * Never on the Pipeline library's path (Jenkins loads the library from src/, vars/ and resources/).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface NonCPS {
}
