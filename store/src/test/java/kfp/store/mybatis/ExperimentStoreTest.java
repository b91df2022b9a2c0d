package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.DefaultExperimentStore;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.Relationship;
import kfp.store.api.ResourceReference;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.ResourceType;
import kfp.store.api.StorageState;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * ExperimentStore, with the cases of KFP's experiment store tests and the fixes of
 * {@code docs/kfp-compatibility.md#experiment-references}, {@code #case-rules}, {@code #unknown-ids} and {@code #archive-stamp}.
 */
@StoreTest
public class ExperimentStoreTest {

    static final FilterContext ALL = FilterContext.NONE;

    private static Experiment create(ExperimentStore store, String name, String namespace) {
        return store.createExperiment(Experiment.newExperiment(name, "desc of " + name, namespace));
    }

    private static List<String> names(ListResult<Experiment> r) {
        return r.items().stream().map(Experiment::name).toList();
    }

    @OnEachDatabase
    void createSetsIdTimeAndState(ExperimentStore store, TestDatabase db) {
        Experiment e = create(store, "experiment1", "");
        assertThat(e.uuid()).isEqualTo("00000000-0000-4000-8000-000000000001");
        assertThat(e.createdAtInSec()).isEqualTo(1);
        assertThat(e.lastRunCreatedAtInSec()).isZero();
        assertThat(e.storageState()).isEqualTo(StorageState.AVAILABLE);
        assertThat(store.getExperiment(e.uuid())).isEqualTo(e);
        assertThat(db.queryValue("SELECT \"StorageState\" FROM experiments")).isEqualTo("AVAILABLE");
    }

    @OnEachDatabase
    void sameNameInDifferentNamespaces(ExperimentStore store) {
        create(store, "experiment1", "ns1");
        create(store, "experiment1", "ns2");
        assertThat(store.getExperimentByNameNamespace("experiment1", "ns2").namespace()).isEqualTo("ns2");
    }

    /** Names are unique ignoring case on every database, not only MySQL ({@code docs/kfp-compatibility.md#case-rules}). */
    @OnEachDatabase
    void duplicateNameIsAlreadyExistsIgnoringCase(ExperimentStore store, TestDatabase db) {
        create(store, "experiment1", "ns");
        assertThatThrownBy(() -> create(store, "experiment1", "ns"))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("The name experiment1 already exist");
        assertThatThrownBy(() -> create(store, "EXPERIMENT1", "ns")).isInstanceOf(AlreadyExistsException.class);
        assertThat(db.count("experiments")).isEqualTo(1);
        assertThat(store.getExperimentByNameNamespace("Experiment1", "ns").name()).isEqualTo("experiment1");
    }

    /** Servers racing to create the same name: one wins, the others get AlreadyExists (not Internal). */
    @OnEachDatabase
    void racingCreatesOfOneNameYieldOneExperiment(ExperimentStore store, TestDatabase db) throws Exception {
        int n = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = i % 2 == 0 ? "Race" : "race";
                results.add(pool.submit(() -> {
                    start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    try {
                        return create(store, name, "ns").uuid();
                    } catch (AlreadyExistsException e) {
                        return "taken";
                    }
                }));
            }
            List<String> outcomes = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<String> f : results) {
                outcomes.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(outcomes.stream().filter(o -> !o.equals("taken"))).hasSize(1);
            assertThat(db.count("experiments")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @OnEachDatabase
    void badInputIsInvalidArgument(ExperimentStore store, TestDatabase db) {
        assertThatThrownBy(() -> create(store, "", "")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> create(store, "x".repeat(129), "")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.createExperiment(Experiment.newExperiment("a", "d".repeat(256), "")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(db.count("experiments")).isZero();
    }

    @OnEachDatabase
    void missingExperimentIsNotFound(ExperimentStore store) {
        assertThatThrownBy(() -> store.getExperiment("nope")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Experiment nope not found");
        assertThatThrownBy(() -> store.getExperimentByNameNamespace("nope", "")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.archiveExperiment("nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.unarchiveExperiment("nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.deleteExperiment("nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.setLastRunTimestamp("nope", 5)).isInstanceOf(NotFoundException.class);
    }

    /** Deleting an experiment removes its references in both directions ({@code docs/kfp-compatibility.md#experiment-references}). */
    @OnEachDatabase
    void deleteRemovesExperimentDefaultAndReferences(ExperimentStore store, DefaultExperimentStore defaults,
            ResourceReferenceStore refs, TestDatabase db) {
        Experiment e = create(store, "e", "ns");
        Experiment other = create(store, "other", "ns");
        defaults.setDefaultExperimentId(e.uuid());
        insertRun(db, "run1", other.uuid(), "AVAILABLE");
        insertRun(db, "run2", e.uuid(), "AVAILABLE");
        refs.createResourceReferences(List.of(
                ResourceReference.of(e.uuid(), ResourceType.EXPERIMENT, "ns", ResourceType.NAMESPACE, Relationship.OWNER),
                ResourceReference.of("run2", ResourceType.RUN, e.uuid(), ResourceType.EXPERIMENT, Relationship.OWNER),
                ResourceReference.of("run1", ResourceType.RUN, other.uuid(), ResourceType.EXPERIMENT, Relationship.OWNER)));

        store.deleteExperiment(e.uuid());

        assertThatThrownBy(() -> store.getExperiment(e.uuid())).isInstanceOf(NotFoundException.class);
        assertThat(defaults.getDefaultExperimentId()).isEmpty();
        assertThat(db.query("SELECT \"ResourceUUID\" FROM resource_references")).containsExactly(List.of("run1"));
        assertThat(store.getExperiment(other.uuid())).isEqualTo(other);
        assertThat(db.count("run_details")).isEqualTo(2); // runs are not the experiment store's to delete
    }

    @OnEachDatabase
    void archiveArchivesRunsAndDisablesJobsInOneGo(ExperimentStore store, ResourceReferenceStore refs, TestDatabase db) {
        Experiment e = create(store, "e", "");                          // t=1
        Experiment other = create(store, "other", "");                  // t=2
        insertRun(db, "byColumn", e.uuid(), "AVAILABLE");
        insertRun(db, "byReference", "", "AVAILABLE");
        insertRun(db, "alreadyArchived", e.uuid(), "ARCHIVED");
        db.update("UPDATE run_details SET \"ArchivedAtInSec\" = 1 WHERE \"UUID\" = 'alreadyArchived'");
        insertRun(db, "otherRun", other.uuid(), "AVAILABLE");
        insertJob(db, "jobByColumn", e.uuid());
        insertJob(db, "jobByReference", "");
        insertJob(db, "otherJob", other.uuid());
        refs.createResourceReferences(List.of(
                ResourceReference.of("byReference", ResourceType.RUN, e.uuid(), ResourceType.EXPERIMENT, Relationship.OWNER),
                ResourceReference.of("jobByReference", ResourceType.JOB, e.uuid(), ResourceType.EXPERIMENT, Relationship.OWNER)));

        store.archiveExperiment(e.uuid());                              // t=3

        assertThat(store.getExperiment(e.uuid()).storageState()).isEqualTo(StorageState.ARCHIVED);
        assertThat(db.query("SELECT \"UUID\", \"StorageState\", \"ArchivedAtInSec\" FROM run_details ORDER BY \"UUID\""))
                .containsExactly(
                        List.of("alreadyArchived", "ARCHIVED", 1L),
                        List.of("byColumn", "ARCHIVED", 3L),
                        List.of("byReference", "ARCHIVED", 3L),
                        List.of("otherRun", "AVAILABLE", 0L));
        assertThat(db.query("SELECT \"UUID\", \"Enabled\", \"UpdatedAtInSec\" FROM jobs ORDER BY \"UUID\""))
                .containsExactly(
                        List.of("jobByColumn", false, 3L),
                        List.of("jobByReference", false, 3L),
                        List.of("otherJob", true, 0L));

        store.unarchiveExperiment(e.uuid());
        assertThat(store.getExperiment(e.uuid()).storageState()).isEqualTo(StorageState.AVAILABLE);
        assertThat(db.queryValue("SELECT COUNT(*) FROM run_details WHERE \"StorageState\" = 'ARCHIVED'")).isEqualTo(3L);
        assertThat(db.queryValue("SELECT COUNT(*) FROM jobs WHERE \"Enabled\" = FALSE")).isEqualTo(2L);
    }

    @OnEachDatabase
    void lastRunTimestampOnlyMovesForward(ExperimentStore store) {
        Experiment e = create(store, "e", "");
        store.setLastRunTimestamp(e.uuid(), 50);
        store.setLastRunTimestamp(e.uuid(), 40);
        assertThat(store.getExperiment(e.uuid()).lastRunCreatedAtInSec()).isEqualTo(50);
    }

    @OnEachDatabase
    void paginationByNameBothWays(ExperimentStore store) {
        for (String n : List.of("b", "A", "d", "C", "e")) {
            create(store, n, "");
        }
        ListOptions byName = ListOptions.firstPage(2).withSortBy("name");
        ListResult<Experiment> p1 = store.listExperiments(ALL, byName);
        assertThat(names(p1)).containsExactly("A", "b");
        assertThat(p1.totalSize()).isEqualTo(5);
        ListResult<Experiment> p2 = store.listExperiments(ALL, ListOptions.firstPage(2).withPageToken(p1.nextPageToken()));
        assertThat(names(p2)).containsExactly("C", "d");
        ListResult<Experiment> p3 = store.listExperiments(ALL, byName.withPageToken(p2.nextPageToken()));
        assertThat(names(p3)).containsExactly("e");
        assertThat(p3.nextPageToken()).isEmpty();
        assertThat(p3.totalSize()).isEqualTo(5);

        ListResult<Experiment> d1 = store.listExperiments(ALL, ListOptions.firstPage(3).withSortBy("name desc"));
        assertThat(names(d1)).containsExactly("e", "d", "C");
        ListResult<Experiment> d2 = store.listExperiments(ALL, ListOptions.firstPage(3).withPageToken(d1.nextPageToken()));
        assertThat(names(d2)).containsExactly("b", "A");
        assertThat(d2.nextPageToken()).isEmpty();
    }

    /**
     * Name pages stay right while another transaction is open and an id was deleted and written
     * again (what the per-test DELETE and the sequential test ids do). On MariaDB 10.11 the page
     * query's index_merge plan read the VIRTUAL "NameLower" as '' and dropped such a row; migration
     * 43 makes it STORED. The open transaction (it has read, so nothing is purged, and written)
     * makes the server check each index entry against its row, as a busy server does.
     */
    @OnEachDatabase
    void paginationByNameAfterAnIdIsReusedWhileAnotherTransactionIsOpen(ExperimentStore store, TestDatabase db)
            throws Exception {
        try (java.sql.Connection other = db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (java.sql.Statement st = other.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM experiments").close();
                st.executeUpdate("INSERT INTO db_statuses (\"HaveSamplesLoaded\") VALUES (TRUE)");
            }
            for (String n : List.of("b", "A", "d", "C")) {
                create(store, n, "");
            }
            Experiment x = create(store, "x", "");
            store.deleteExperiment(x.uuid());
            db.update("INSERT INTO experiments (\"UUID\", \"Name\", \"Description\", \"CreatedAtInSec\","
                    + " \"LastRunCreatedAtInSec\", \"Namespace\", \"StorageState\")"
                    + " VALUES (?, 'e', '', 5, 0, '', 'AVAILABLE')", x.uuid());

            ListResult<Experiment> p1 = store.listExperiments(ALL, ListOptions.firstPage(2).withSortBy("name"));
            assertThat(names(p1)).containsExactly("A", "b");
            ListResult<Experiment> p2 = store.listExperiments(ALL, ListOptions.firstPage(2).withPageToken(p1.nextPageToken()));
            assertThat(names(p2)).containsExactly("C", "d");
            ListResult<Experiment> p3 = store.listExperiments(ALL, ListOptions.firstPage(2).withPageToken(p2.nextPageToken()));
            assertThat(names(p3)).containsExactly("e");
            ListResult<Experiment> d1 = store.listExperiments(ALL, ListOptions.firstPage(2).withSortBy("name desc"));
            assertThat(names(d1)).containsExactly("e", "d");
            assertThat(db.query("SELECT \"NameLower\" FROM experiments WHERE \"NameLower\" >= 'd'"
                    + " AND (\"NameLower\" > 'd' OR \"UUID\" > '') ORDER BY \"NameLower\""))
                    .containsExactly(List.of("d"), List.of("e"));
            other.rollback();
        }
    }

    @OnEachDatabase
    void defaultOrderIsCreationAndLessThanAPage(ExperimentStore store) {
        for (String n : List.of("z", "y", "x")) {
            create(store, n, "");
        }
        ListResult<Experiment> all = store.listExperiments(ALL, ListOptions.firstPage(0));
        assertThat(names(all)).containsExactly("z", "y", "x");
        assertThat(all.totalSize()).isEqualTo(3);
        assertThat(all.nextPageToken()).isEmpty();
    }

    /** KFP's TestListExperiments_Filtering: IN on name, page size 2, sorted by id. */
    @OnEachDatabase
    void filterInOnNameAcrossPages(ExperimentStore store) {
        for (String n : List.of("experiment1", "experiment2", "experiment3", "experiment4")) {
            create(store, n, "");
        }
        String filter = "{\"predicates\":[{\"key\":\"name\",\"op\":\"IN\",\"string_values\":{\"values\":"
                + "[\"EXPERIMENT1\",\"experiment2\",\"experiment4\"]}}]}";
        ListResult<Experiment> p1 = store.listExperiments(ALL, ListOptions.firstPage(2).withSortBy("id").withFilter(filter));
        assertThat(names(p1)).containsExactly("experiment1", "experiment2");
        assertThat(p1.totalSize()).isEqualTo(3);
        ListResult<Experiment> p2 = store.listExperiments(ALL, ListOptions.firstPage(2).withPageToken(p1.nextPageToken()));
        assertThat(names(p2)).containsExactly("experiment4");
        assertThat(p2.nextPageToken()).isEmpty();
        assertThat(p2.totalSize()).isEqualTo(3);
    }

    @OnEachDatabase
    void namespaceContextScopesListAndTotal(ExperimentStore store) {
        create(store, "a", "ns1");
        create(store, "b", "ns2");
        create(store, "c", "ns1");
        create(store, "d", "");
        ListResult<Experiment> r = store.listExperiments(FilterContext.of(ResourceType.NAMESPACE, "ns1"), ListOptions.firstPage(1));
        assertThat(names(r)).containsExactly("a");
        assertThat(r.totalSize()).isEqualTo(2);
        // a token continues only the list it came from
        assertThatThrownBy(() -> store.listExperiments(FilterContext.of(ResourceType.NAMESPACE, "ns2"),
                ListOptions.firstPage(1).withPageToken(r.nextPageToken())))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("page token does not match");
        assertThat(names(store.listExperiments(FilterContext.of(ResourceType.NAMESPACE, ""), ListOptions.firstPage(5))))
                .containsExactly("d");
        assertThat(store.listExperiments(ALL, ListOptions.firstPage(5)).totalSize()).isEqualTo(4);
    }

    @OnEachDatabase
    void badListRequestsAreInvalidArgument(ExperimentStore store) {
        create(store, "a", "");
        create(store, "b", "");
        String token = store.listExperiments(ALL, ListOptions.firstPage(1)).nextPageToken();
        for (ListOptions bad : List.of(
                ListOptions.firstPage(-1),
                ListOptions.firstPage(1).withSortBy("nope"),
                ListOptions.firstPage(1).withSortBy("name up"),
                ListOptions.firstPage(1).withSortBy("name asc x"),
                ListOptions.firstPage(1).withFilter("{\"predicates\":[{\"key\":\"nope\",\"op\":\"EQUALS\",\"string_value\":\"x\"}]}"),
                ListOptions.firstPage(1).withFilter("{\"predicates\":[{\"key\":\"created_at\",\"op\":\"EQUALS\",\"string_value\":\"x\"}]}"),
                ListOptions.firstPage(1).withPageToken(token.substring(0, token.length() - 3)),
                ListOptions.firstPage(1).withPageToken("' OR 1=1 --"),
                ListOptions.firstPage(1).withPageToken(token).withSortBy("name"))) {
            assertThatThrownBy(() -> store.listExperiments(ALL, bad)).as(bad.toString())
                    .isInstanceOf(InvalidArgumentException.class);
        }
    }

    /** KFP's TestListExperimentsError and friends: a failing database is Internal, never the caller's error. */
    @OnEachDatabase
    void databaseFailuresAreInternal(ExperimentStore store, TestDatabase db) {
        Experiment e = create(store, "e", "");
        db.update("ALTER TABLE experiments RENAME TO experiments_away");
        try {
            for (Runnable r : List.<Runnable>of(
                    () -> store.getExperiment(e.uuid()),
                    () -> store.listExperiments(ALL, ListOptions.firstPage(1)),
                    () -> create(store, "f", ""),
                    () -> store.archiveExperiment(e.uuid()),
                    () -> store.deleteExperiment(e.uuid()))) {
                assertThatThrownBy(r::run).isInstanceOf(kfp.store.api.InternalException.class);
            }
        } finally {
            db.update("ALTER TABLE experiments_away RENAME TO experiments");
        }
        assertThat(store.getExperiment(e.uuid())).isEqualTo(e);
    }

    public static void insertRun(TestDatabase db, String id, String experimentId, String storageState) {
        db.update("INSERT INTO run_details (\"UUID\", \"DisplayName\", \"Name\", \"Description\", \"Namespace\","
                + " \"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\","
                + " \"CreatedAtInSec\", \"Conditions\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\", \"ArchivedAtInSec\")"
                + " VALUES (?, ?, '', '', '', ?, ?, '', '', '', 1, 'Running', '', '', 0)", id, id, experimentId, storageState);
    }

    public static void insertJob(TestDatabase db, String id, String experimentId) {
        db.update("INSERT INTO jobs (\"UUID\", \"DisplayName\", \"Name\", \"Namespace\", \"ServiceAccount\", \"Description\","
                + " \"MaxConcurrency\", \"NoCatchup\", \"CreatedAtInSec\", \"UpdatedAtInSec\", \"Enabled\", \"ExperimentUUID\","
                + " \"PipelineId\", \"PipelineName\", \"Conditions\")"
                + " VALUES (?, ?, '', '', '', '', 1, FALSE, 1, 0, TRUE, ?, '', '', 'ENABLED')", id, id, experimentId);
    }
}
