package kfp.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import kfp.store.Schema;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;

/**
 * A database that KFP's Go server created (KFP's tables, no Flyway history) is adopted in place:
 * baselined at the KFP version it matches, brought forward, and no row is lost.
 */
@StoreTest(schemas = {})
class AdoptionTest {

    @OnEachDatabase
    void kfpCreatedDatabaseIsAdoptedAndKeepsItsRows(TestDatabase db) {
        // KFP's tables as a pre-GC KFP release leaves them: version 1's DDL, and no history table
        Flyway.configure().dataSource(db.dataSource()).table("kfp_setup_history")
                .locations(SchemaMigrations.location(db.dialect(), Schema.MLPIPELINE))
                .target("1").placeholderReplacement(false).load().migrate();
        db.update("DROP TABLE kfp_setup_history");
        db.update("INSERT INTO experiments (\"UUID\", \"Name\", \"Description\", \"CreatedAtInSec\","
                + " \"LastRunCreatedAtInSec\", \"Namespace\", \"StorageState\") VALUES (?, ?, ?, ?, ?, ?, ?)",
                "e1", "Default", "kept", 5L, 0L, "", "AVAILABLE");

        assertThat(SchemaMigrations.adoptedVersion(db.dataSource(), Schema.MLPIPELINE)).isEqualTo("1");
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);

        assertThat(db.queryValue("SELECT \"Description\" FROM experiments WHERE \"UUID\" = ?", "e1")).isEqualTo("kept");
        assertThat(db.queryValue("SELECT \"NameLower\" FROM experiments WHERE \"UUID\" = ?", "e1")).isEqualTo("default");
        assertThat(db.queryValue("SELECT COUNT(*) FROM flyway_schema_history WHERE \"type\" = 'BASELINE' AND \"version\" = '1'"))
                .isIn(1, 1L);
        // a second start finds nothing to do
        assertThat(SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE).migrationsExecuted).isZero();
    }

    @OnEachDatabase
    void cacheSchemaSharesADatabaseWithTheApiSchema(TestDatabase db) {
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);
        // the cache's tables are absent: its history starts empty despite the API's tables being there
        assertThat(SchemaMigrations.adoptedVersion(db.dataSource(), Schema.CACHEDB)).isEqualTo("0");
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.CACHEDB);
        assertThat(db.count("execution_caches")).isZero();
        assertThat(db.count("experiments")).isZero();
    }
}
