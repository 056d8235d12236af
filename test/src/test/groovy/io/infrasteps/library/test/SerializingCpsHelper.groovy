package io.infrasteps.library.test

import com.cloudbees.groovy.cps.Continuation
import com.cloudbees.groovy.cps.Envs
import com.cloudbees.groovy.cps.Next
import com.cloudbees.groovy.cps.impl.CpsCallableInvocation
import com.lesfurets.jenkins.unit.cps.PipelineTestHelperCPS
import groovy.transform.CompileStatic

/**
 * JenkinsPipelineUnit 1.1's CPS helper serializes the program state at every CPS step only inside
 * closures (block step bodies); calls into methods (the library's vars) and the script body run to
 * completion unchecked. This helper steps through those too, serializing the environment (locals
 * of every enclosing frame) at every step, as Jenkins may save it at any step.
 */
@CompileStatic
class SerializingCpsHelper extends PipelineTestHelperCPS {

    /** Program states saved so far (see roundtripSerialization). */
    int serializedStates = 0

    @Override
    protected Object callMethod(MetaMethod method, Object delegate, Object[] args) {
        try {
            return method.doMethodInvoke(delegate, args)
        } catch (CpsCallableInvocation e) {
            return stepThrough(e, method.getDeclaringClass().getName() + '.' + method.getName())
        }
    }

    @Override
    protected Object runScriptInternal(Script script) {
        try {
            return script.run()
        } catch (CpsCallableInvocation e) {
            return stepThrough(e, script.getClass().getName())
        }
    }

    /** Every saved state, here and in JenkinsPipelineUnit's own stepping through closures (block step bodies, var calls). */
    @Override
    <T> T roundtripSerialization(T object) {
        serializedStates++
        return super.roundtripSerialization(object)
    }

    private Object stepThrough(CpsCallableInvocation invocation, String where) {
        Next next = invocation.invoke(Envs.empty(), null, Continuation.HALT)
        while (next.yield == null) {
            try {
                roundtripSerialization(next.e)
            } catch (Exception e) {
                throw new AssertionError("the program state in ${where} cannot be saved: ${e}".toString(), e)
            }
            next = next.step()
        }
        return next.yield.replay()
    }
}
