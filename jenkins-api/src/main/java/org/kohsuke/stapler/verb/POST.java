package org.kohsuke.stapler.verb;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Subset of stapler {@code org.kohsuke.stapler.verb.POST} (2050.v425108fd5089). The real annotation is
 * also an {@code @InterceptorAnnotation}; only the real jar's runs.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface POST {}
