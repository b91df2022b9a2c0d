package kfp.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kfp.store.Schema;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;

/**
 * Migration 41 fills run_counts from the runs a database already holds (one INSERT ... SELECT
 * ... GROUP BY), and its triggers count what is written afterwards.
 */
@StoreTest(schemas = {})
class RunCountsBackfillTest {

    private static final String RUN = "INSERT INTO run_details (\"UUID\", \"DisplayName\", \"Name\", \"Description\", "
            + "\"Namespace\", \"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\", "
            + "\"CreatedAtInSec\", \"Conditions\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\", \"State\") "
            + "VALUES (?, '', '', '', ?, ?, ?, '', '', '', 0, 'Running', '', '', ?)";

    @OnEachDatabase
    void runsWrittenBeforeMigration41AreCounted(TestDatabase db) throws Exception {
        Flyway.configure().dataSource(db.dataSource())
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false")) // as SchemaMigrations: V21
                .locations(SchemaMigrations.location(db.dialect(), Schema.MLPIPELINE))
                .table(Schema.MLPIPELINE.historyTable())
                .target("40").placeholderReplacement(false).load().migrate();
        String[] namespaces = {"", "ns1", "ns2"};
        String[] states = {"RUNNING", "SUCCEEDED", "", null};
        for (int i = 0; i < 60; i++) {
            db.update(RUN, "r" + i, namespaces[i % 3], "exp" + (i % 4), i % 7 == 0 ? "ARCHIVED" : "AVAILABLE",
                    states[(i / 12) % states.length]);
        }
        try (java.sql.Connection c = db.dataSource().getConnection()) {
            assertThat(db.tables(c)).contains("run_details").doesNotContain("run_counts");
        }

        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);

        Map<List<String>, Long> expected = db.runCountsOfRunDetails();
        assertThat(db.runCounts()).isEqualTo(expected);
        assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(60);
        assertThat(expected.get(List.of("ns1", "exp1", "AVAILABLE", ""))).isEqualTo(2); // r25 ('') and r37 (NULL)
        // and from here on the triggers count
        db.update(RUN, "after", "ns1", "exp1", "AVAILABLE", null);
        db.update("UPDATE run_details SET \"State\" = 'FAILED' WHERE \"UUID\" IN ('r1', 'r2', 'r3')");
        db.update("DELETE FROM run_details WHERE \"UUID\" IN ('r4', 'r5')");
        assertThat(db.runCounts()).isEqualTo(db.runCountsOfRunDetails());
    }
}
