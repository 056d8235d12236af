package io.infrasteps.library.test

import org.codehaus.groovy.ast.ASTNode
import org.codehaus.groovy.ast.ClassCodeVisitorSupport
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.MethodNode
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.ClosureListExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.ConstructorCallExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.ast.stmt.ForStatement
import org.codehaus.groovy.ast.stmt.ReturnStatement
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.syntax.Types

/**
 * Static rules for code Jenkins runs CPS-transformed (vars/, jenkinsfiles/, and any src/ method
 * without @NonCPS), where every local may be saved at any step:
 * <ul>
 * <li>no {@code =~} (a java.util.regex.Matcher), no iterator(), listIterator(), matcher(),
 *     entrySet(), stream(), no Pattern, Matcher, Scanner or JsonSlurper objects;</li>
 * <li>no for-in loops (their iterator is not serializable in groovy-cps 1.12): index loops;</li>
 * <li>closures only as bodies of block steps (lock, node, stage, multiRegion, ...), never to
 *     each/collect/sort; a parallel branch is a closure returned by a method named *Branch (made
 *     outside any loop, so it captures its own values);</li>
 * <li>no sh, bat, powershell, sleep, input, withCredentials, load or evaluate;</li>
 * <li>no default argument values (the generated overloads lose @NonCPS or CPS semantics);</li>
 * </ul>
 * and everywhere: no string constant that looks like a secret; in @NonCPS methods no step call;
 * in src/ classes only static @NonCPS methods (pure helpers, no program state).
 */
class CpsRules {

    static final Set<String> BLOCK_STEPS = ['lock', 'node', 'stage', 'timeout', 'dir', 'retry', 'withEnv',
                                            'catchError', 'warnError', 'ws', 'waitUntil', 'withEnvironmentLock',
                                            'multiRegion'] as Set
    static final Set<String> FORBIDDEN_STEPS = ['sh', 'bat', 'powershell', 'sleep', 'input', 'withCredentials',
                                                'load', 'evaluate'] as Set
    static final Set<String> UNSERIALIZABLE_CALLS = ['iterator', 'listIterator', 'matcher', 'entrySet', 'stream',
                                                     'spliterator'] as Set
    static final Set<String> UNSERIALIZABLE_TYPES = ['java.util.regex.Pattern', 'java.util.regex.Matcher',
                                                     'java.util.Scanner', 'groovy.json.JsonSlurper',
                                                     'Pattern', 'Matcher', 'Scanner', 'JsonSlurper'] as Set
    /** Steps (and library vars) that must not be called from @NonCPS code. */
    static final Set<String> STEPS = ['error', 'echo', 'setHaproxy', 'haproxyStatus', 'lock', 'node', 'stage',
                                      'writeFile', 'readFile', 'fileExists', 'libraryResource', 'parallel',
                                      'infraSite', 'shardStates', 'validateShard', 'waitHealthyShards',
                                      'withEnvironmentLock', 'shardValidation', 'setReleaseGa', 'multiRegion', 'infraArguments',
                                      'haproxyChange', 'haproxyMonitor'] as Set
    static final List<String> SECRET_PATTERNS = [
            /(?is).*-----BEGIN [A-Z ]*PRIVATE KEY-----.*/,
            /(?is).*\b(password|passwd|secret|token|api[_-]?key)\s*[:=]\s*['"]?[A-Za-z0-9+\/_-]{6,}.*/,
            /(?s).*\bey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\..*/,       // a JWT
            /(?s).*\b(AKIA|ASIA)[A-Z0-9]{16}\b.*/,                          // an access key id
    ]

    /** Violations in one file, each "file:line: message". */
    static List<String> check(File file, boolean srcClass) {
        CompilationUnit unit = new CompilationUnit(new CompilerConfiguration())
        SourceUnit source = unit.addSource(file)
        unit.compile(Phases.CONVERSION)
        List<String> violations = []
        source.AST.classes.each { ClassNode cls ->
            new Visitor(source, file.name, srcClass, violations).visitClass(cls)
        }
        return violations
    }

    static class Visitor extends ClassCodeVisitorSupport {
        final SourceUnit source
        final String file
        final boolean srcClass
        final List<String> violations
        boolean nonCps = false
        String method = null
        final Set<ClosureExpression> blockBodies = Collections.newSetFromMap(new IdentityHashMap<ClosureExpression, Boolean>())

        Visitor(SourceUnit source, String file, boolean srcClass, List<String> violations) {
            this.source = source
            this.file = file
            this.srcClass = srcClass
            this.violations = violations
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source
        }

        void report(ASTNode node, String message) {
            violations.add("${file}:${node.lineNumber}: ${method ? method + ': ' : ''}${message}".toString())
        }

        @Override
        void visitMethod(MethodNode node) {
            if (node.isSynthetic() || node.lineNumber < 0 && node.name != 'run') {
                return
            }
            boolean wasNonCps = nonCps
            String was = method
            nonCps = node.annotations.any { it.classNode.nameWithoutPackage == 'NonCPS' }
            method = node.name
            if (node.parameters.any { it.hasInitialExpression() }) {
                report(node, 'default argument values generate overloads that CPS and @NonCPS treat differently; pass every argument')
            }
            if (srcClass && !(nonCps && node.isStatic())) {
                report(node, 'methods of src/ classes must be static and @NonCPS (pure helpers)')
            }
            super.visitMethod(node)
            nonCps = wasNonCps
            method = was
        }

        @Override
        void visitBinaryExpression(BinaryExpression e) {
            if (!nonCps && e.operation.type == Types.FIND_REGEX) {
                report(e, "'=~' makes a java.util.regex.Matcher, which cannot be saved; use ==~ or a @NonCPS helper")
            }
            super.visitBinaryExpression(e)
        }

        @Override
        void visitMethodCallExpression(MethodCallExpression call) {
            checkCall(call, call.methodAsString, call.arguments)
            super.visitMethodCallExpression(call)
        }

        @Override
        void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
            checkCall(call, call.method, call.arguments)
            super.visitStaticMethodCallExpression(call)
        }

        void checkCall(ASTNode call, String name, Expression arguments) {
            if (name == null) {
                return
            }
            if (FORBIDDEN_STEPS.contains(name)) {
                report(call, "${name} is not used by this library (no shell, no sleeps, no prompts, no secrets in scripts)")
            }
            if (nonCps) {
                if (STEPS.contains(name)) {
                    report(call, "step ${name} called from @NonCPS code")
                }
                return
            }
            if (UNSERIALIZABLE_CALLS.contains(name)) {
                report(call, "${name}() returns an object that cannot be saved in the program state")
            }
            List<Expression> args = arguments instanceof TupleExpression ? ((TupleExpression) arguments).expressions : [arguments]
            args.each { Expression arg ->
                if (arg instanceof ClosureExpression) {
                    if (BLOCK_STEPS.contains(name)) {
                        blockBodies.add((ClosureExpression) arg)
                    }
                }
            }
        }

        @Override
        void visitReturnStatement(ReturnStatement statement) {
            // Parallel branch factories: Closure fooBranch(...) { return { ... } }
            if (!nonCps && method != null && method.endsWith('Branch') && statement.expression instanceof ClosureExpression) {
                blockBodies.add((ClosureExpression) statement.expression)
            }
            super.visitReturnStatement(statement)
        }

        @Override
        void visitClosureExpression(ClosureExpression closure) {
            if (!nonCps && !blockBodies.contains(closure)) {
                report(closure, 'closure outside a block step body: use a loop (or a @NonCPS helper)')
            }
            super.visitClosureExpression(closure)
        }

        @Override
        void visitForLoop(ForStatement loop) {
            if (!nonCps && !(loop.collectionExpression instanceof ClosureListExpression)) {
                report(loop, 'for-in loop: its iterator cannot be saved in groovy-cps; use an index loop')
            }
            super.visitForLoop(loop)
        }

        @Override
        void visitConstructorCallExpression(ConstructorCallExpression call) {
            if (!nonCps && UNSERIALIZABLE_TYPES.contains(call.type.name)) {
                report(call, "${call.type.name} cannot be saved in the program state")
            }
            super.visitConstructorCallExpression(call)
        }

        @Override
        void visitConstantExpression(ConstantExpression constant) {
            if (constant.value instanceof String && SECRET_PATTERNS.any { ((String) constant.value) ==~ it }) {
                report(constant, 'string constant looks like a secret; use a credentials id')
            }
            super.visitConstantExpression(constant)
        }
    }
}
