package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.api.TaskStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** Run garbage collection (KFP master): archive expired runs, delete expired archived ones. */
@StoreTest
class RunRetentionTest {

    /** A run finished at {@code finishedAt} in {@code state}, with a metric, a task and its references. */
    private static void finished(TestDatabase db, String id, String state, long finishedAt) {
        Run r = RunStoreTest.run(id, "exp1");
        r.state = state;
        r.finishedAtInSec = finishedAt;
        db.get(RunStore.class).createRun(r);
        db.get(RunStore.class).createMetric(new RunMetric(id, "node", "m", 1.0, "RAW"));
        db.get(TaskStore.class).createTask(TaskStoreTest.task(id, "pod"));
    }

    private static List<Object> column(TestDatabase db, String sql) {
        return db.query(sql).stream().map(row -> row.get(0)).toList();
    }

    @OnEachDatabase
    void archivesFinishedRunsPastTheCutoffOnly(TestDatabase db) {
        Rows.experiment(db, "exp1", "ns1");
        finished(db, "old-done", RuntimeStates.SUCCEEDED, 100);
        finished(db, "old-failed", RuntimeStates.FAILED, 200);
        finished(db, "old-running", RuntimeStates.RUNNING, 100); // not finished: kept
        finished(db, "recent", RuntimeStates.SUCCEEDED, 900);
        finished(db, "never-finished", RuntimeStates.SUCCEEDED, 0);
        Rows.run(db, "legacy", "exp1"); // State NULL, Conditions Running → not terminal
        db.update("UPDATE run_details SET \"Conditions\" = 'Succeeded', \"FinishedAtInSec\" = 50 WHERE \"UUID\" = 'legacy'");
        RunStore store = db.get(RunStore.class);
        store.archiveRun("recent");

        db.clock().setNext(5000);
        assertThat(store.archiveExpiredRuns(500, 2)).isEqualTo(2); // batch limit
        assertThat(store.archiveExpiredRuns(500, 2)).isEqualTo(1);
        assertThat(store.archiveExpiredRuns(500, 2)).isZero();
        assertThat(column(db, "SELECT \"UUID\" FROM run_details WHERE \"StorageState\" = 'ARCHIVED' ORDER BY \"UUID\""))
                .containsExactly("legacy", "old-done", "old-failed", "recent");
        assertThat(column(db, "SELECT \"ArchivedAtInSec\" FROM run_details WHERE \"UUID\" IN ('legacy', 'old-done', 'old-failed')"))
                .allSatisfy(v -> assertThat(((Number) v).longValue()).isGreaterThanOrEqualTo(5000));
        assertThat(db.count("run_metrics")).isEqualTo(5); // archiving deletes nothing
    }

    /**
     * GC locks only the rows it archives or deletes: it runs to the end while another transaction
     * holds a run row and has an uncommitted new run (a table lock would make it wait).
     */
    @OnEachDatabase
    void gcDoesNotWaitForRowsOutsideItsBatch(TestDatabase db) throws Exception {
        Rows.experiment(db, "exp1", "ns1");
        finished(db, "expired", RuntimeStates.SUCCEEDED, 100);
        finished(db, "archived", RuntimeStates.SUCCEEDED, 100);
        finished(db, "recent", RuntimeStates.SUCCEEDED, 900);
        RunStore store = db.get(RunStore.class);
        db.clock().setNext(200);
        store.archiveRun("archived");
        try (Connection other = db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.executeQuery("SELECT \"UUID\" FROM run_details WHERE \"UUID\" = 'recent' FOR UPDATE").close();
                st.executeUpdate("UPDATE run_details SET \"Description\" = 'busy' WHERE \"UUID\" = 'recent'");
                st.executeUpdate("INSERT INTO run_details (\"UUID\", \"DisplayName\", \"Name\", \"Description\", \"Namespace\", "
                        + "\"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\", "
                        + "\"CreatedAtInSec\", \"Conditions\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\") "
                        + "VALUES ('uncommitted', '', '', '', '', 'exp1', 'AVAILABLE', '', '', '', 0, 'Running', '', '')");
            }
            ExecutorService gc = Executors.newSingleThreadExecutor();
            try {
                Future<int[]> done = gc.submit(() -> new int[] {
                    store.archiveExpiredRuns(500, 10), store.deleteExpiredArchivedRuns(500, 10)});
                assertThat(done.get(20, TimeUnit.SECONDS)).containsExactly(1, 2);
            } finally {
                gc.shutdownNow();
                other.rollback();
            }
        }
        assertThat(column(db, "SELECT \"UUID\" FROM run_details ORDER BY \"UUID\"")).containsExactly("recent");
    }

    /** Runs an experiment archive archives count from that moment ({@code docs/kfp-compatibility.md#archive-stamp}). */
    @OnEachDatabase
    void runsArchivedWithTheirExperimentCountFromTheArchive(TestDatabase db) {
        Rows.experiment(db, "exp1", "ns1");
        finished(db, "r1", RuntimeStates.SUCCEEDED, 100);
        db.clock().setNext(1000);
        db.get(kfp.store.api.ExperimentStore.class).archiveExperiment("exp1");
        RunStore store = db.get(RunStore.class);
        assertThat(store.deleteExpiredArchivedRuns(900, 10)).isZero(); // finished long ago, but archived at 1000
        assertThat(store.deleteExpiredArchivedRuns(1001, 10)).isEqualTo(1);
        assertThat(db.count("run_details")).isZero();
    }

    @OnEachDatabase
    void deletesExactlyTheExpiredArchivedRunsWithTheirChildren(TestDatabase db) {
        Rows.experiment(db, "exp1", "ns1");
        Rows.experiment(db, "exp2", "ns1");
        finished(db, "archived-early", RuntimeStates.SUCCEEDED, 100);
        finished(db, "archived-late", RuntimeStates.SUCCEEDED, 100);
        finished(db, "available", RuntimeStates.SUCCEEDED, 100);
        finished(db, "legacy-disabled", RuntimeStates.SUCCEEDED, 100);
        RunStore store = db.get(RunStore.class);
        db.clock().setNext(300);
        store.archiveRun("archived-early"); // ArchivedAtInSec 300
        db.clock().setNext(800);
        store.archiveRun("archived-late"); // ArchivedAtInSec 800: inside the window
        // archived by an older KFP: legacy state, no stamp; counts from FinishedAtInSec
        db.update("UPDATE run_details SET \"StorageState\" = 'DISABLED', \"ArchivedAtInSec\" = 0 WHERE \"UUID\" = 'legacy-disabled'");
        // a reference pointing at a deleted run goes too; other references stay
        db.update("INSERT INTO resource_references VALUES ('exp2', 'Experiment', 'archived-early', '', 'Run', 'Owner', '{}')");

        assertThat(store.deleteExpiredArchivedRuns(500, 1)).isEqualTo(1);
        assertThat(store.deleteExpiredArchivedRuns(500, 0)).isEqualTo(1); // 0: the default batch
        assertThat(store.deleteExpiredArchivedRuns(500, 10)).isZero();

        assertThat(column(db, "SELECT \"UUID\" FROM run_details ORDER BY \"UUID\"")).containsExactly("archived-late", "available");
        assertThat(column(db, "SELECT DISTINCT \"RunUUID\" FROM run_metrics ORDER BY \"RunUUID\"")).containsExactly("archived-late", "available");
        assertThat(column(db, "SELECT DISTINCT \"RunUUID\" FROM tasks ORDER BY \"RunUUID\"")).containsExactly("archived-late", "available");
        assertThat(column(db, "SELECT DISTINCT \"ResourceUUID\" FROM resource_references ORDER BY \"ResourceUUID\""))
                .containsExactly("archived-late", "available");
        assertThat(db.count("experiments")).isEqualTo(2);
    }
}
