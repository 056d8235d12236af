package org.jvnet.hudson.annotation_indexer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stand-in for annotation-indexer's {@code Indexed} meta-annotation. Central's annotation-indexer 1.4 processor
 * breaks javac 17, so it stays off the classpath; {@link io.infrasteps.stubs.IndexedAnnotationProcessor} writes
 * the same index ({@code META-INF/services/annotations/<annotation>}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
@Documented
public @interface Indexed {
}
