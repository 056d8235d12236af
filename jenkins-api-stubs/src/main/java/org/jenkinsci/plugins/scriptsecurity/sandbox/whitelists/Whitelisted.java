package org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Stand-in for script-security's {@code Whitelisted}: sandboxed Pipeline scripts may call the member. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface Whitelisted {
    boolean restricted() default false;
}
