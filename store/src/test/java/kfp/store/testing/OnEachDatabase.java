package kfp.store.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;

/**
 * Runs the test method once per database, named {@code [h2] …}, {@code [mysql] …},
 * {@code [postgresql] …}. Parameters may be {@link TestDatabase} or any store interface.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
public @interface OnEachDatabase {
}
