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

    /**
     * A KFP master database: the GC columns, a GC index its operator created by hand, and two
     * rows for one pod that KFP's unguarded task upsert raced into
     * (docs/kfp-compatibility.md#unique-task-pod). Migrations 20-22
     * keep the index, collapse the pod to its newest row and add the unique key.
     */
    @OnEachDatabase
    void kfpMasterDatabaseWithRacedTasksAndAnOperatorsGcIndexIsAdopted(TestDatabase db) {
        Flyway.configure().dataSource(db.dataSource()).table("kfp_setup_history")
                .locations(SchemaMigrations.location(db.dialect(), Schema.MLPIPELINE))
                .target("2").placeholderReplacement(false).load().migrate();
        db.update("DROP TABLE kfp_setup_history");
        db.update("CREATE INDEX idx_run_gc_lifecycle ON run_details (\"StorageState\", \"FinishedAtInSec\")");
        db.update("INSERT INTO run_details (\"UUID\", \"DisplayName\", \"Name\", \"Description\", \"Namespace\", "
                + "\"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\", "
                + "\"CreatedAtInSec\", \"Conditions\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\") "
                + "VALUES ('r1', '', '', '', '', 'e1', 'AVAILABLE', '', '', '', 0, 'Running', '', '')");
        String task = "INSERT INTO tasks (\"UUID\", \"Namespace\", \"PipelineName\", \"RunUUID\", \"PodName\", "
                + "\"MLMDExecutionID\", \"CreatedTimestamp\", \"Fingerprint\") VALUES (?, '', '', 'r1', ?, '', ?, '')";
        db.update(task, "t-old", "pod-a", 1L);
        db.update(task, "t-new", "pod-a", 2L);
        db.update(task, "t-other", "pod-b", 1L);

        assertThat(SchemaMigrations.adoptedVersion(db.dataSource(), Schema.MLPIPELINE)).isEqualTo("2");
        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);

        assertThat(db.query("SELECT \"UUID\" FROM tasks ORDER BY \"UUID\"")).containsExactly(
                java.util.List.of("t-new"), java.util.List.of("t-other"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.update(task, "t-again", "pod-a", 3L))
                .satisfies(e -> assertThat(kfp.store.mybatis.SqlErrors.classify(db.dialect(), kfp.store.mybatis.SqlErrors.sqlException(e)))
                        .isEqualTo(kfp.store.mybatis.SqlErrors.Failure.DUPLICATE_KEY));
        assertThat(db.count("tasks")).isEqualTo(2);
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
