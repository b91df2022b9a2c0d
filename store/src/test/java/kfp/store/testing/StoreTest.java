package kfp.store.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import kfp.store.Schema;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class whose {@link OnEachDatabase} methods run once per database (h2, mysql, postgresql).
 * The class gets its own fresh database (MySQL) or schema (PostgreSQL) or in-memory H2 database,
 * migrated to {@link #schemas()}; rows are cleared before every test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(StoreBackends.class)
public @interface StoreTest {

    /** Schemas migrated for the class; empty leaves the database untouched (migration tests). */
    Schema[] schemas() default {Schema.MLPIPELINE, Schema.CACHEDB};
}
