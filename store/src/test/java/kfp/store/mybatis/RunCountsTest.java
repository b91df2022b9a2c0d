package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kfp.store.api.AbortedException;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ResourceType;
import kfp.store.api.RetryClaim;
import kfp.store.api.Run;
import kfp.store.api.RunCounters;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * The run counters of migration 41 ({@code run_counts}): exact after every kind of run change,
 * through the stores and through SQL that bypasses them (as a KFP Go server writes), also under
 * concurrent changes; and ListRuns reads total_size from them exactly when they can answer.
 */
@StoreTest
class RunCountsTest {

    private static final String[] STATES = {RuntimeStates.PENDING, RuntimeStates.RUNNING, RuntimeStates.SUCCEEDED,
        RuntimeStates.FAILED, RuntimeStates.CANCELED, RuntimeStates.PAUSED};

    private static void assertExact(TestDatabase db, String when) {
        assertThat(db.runCounts()).as("run_counts " + when).isEqualTo(db.runCountsOfRunDetails());
        assertThat(db.queryValue("SELECT COUNT(*) FROM run_counts WHERE \"RunCount\" < 0")).as(when).isIn(0, 0L);
    }

    private static Run run(String id, String experiment, String namespace, String state) {
        Run r = RunStoreTest.run(id, experiment);
        r.namespace = namespace;
        r.state = state;
        r.finishedAtInSec = 0;
        return r;
    }

    private static Run report(Run stored, String state) {
        Run r = new Run();
        r.uuid = stored.uuid;
        r.state = state;
        r.retryGeneration = stored.retryGeneration;
        r.finishedAtInSec = RuntimeStates.isTerminal(state) ? 100 : 0;
        return r;
    }

    /** A random sequence of every run change the stores make, checked after each step. */
    @OnEachDatabase
    void countersFollowEveryStoreChange(TestDatabase db) {
        Rows.experiment(db, "exp1", "ns1");
        Rows.experiment(db, "exp2", "ns1");
        Rows.experiment(db, "exp3", "ns2");
        RunStore store = db.get(RunStore.class);
        Random rnd = new Random(41);
        List<String> live = new ArrayList<>();
        String[][] homes = {{"exp1", "ns1"}, {"exp2", "ns1"}, {"exp3", "ns2"}};
        for (int step = 0; step < 160; step++) {
            String op;
            if (live.size() < 4 || rnd.nextInt(6) == 0) {
                String id = "r" + step;
                String[] home = homes[rnd.nextInt(homes.length)];
                if (rnd.nextInt(5) == 0) { // a legacy row: no State (counted under '')
                    Rows.run(db, id, home[0]);
                    op = "legacy insert " + id;
                } else {
                    store.createRun(run(id, home[0], home[1], STATES[rnd.nextInt(STATES.length)]));
                    op = "create " + id;
                }
                live.add(id);
            } else {
                String id = live.get(rnd.nextInt(live.size()));
                Run stored = store.getRun(id);
                int pick = rnd.nextInt(9);
                op = pick + " on " + id;
                try {
                    switch (pick) {
                        case 0, 1 -> store.updateRun(report(stored, STATES[rnd.nextInt(STATES.length)]));
                        case 2 -> store.archiveRun(id);
                        case 3 -> store.unarchiveRun(id);
                        case 4 -> store.terminateRun(id);
                        case 5 -> {
                            RetryClaim claim = store.claimRunForRetry(id, false);
                            if (rnd.nextBoolean()) {
                                store.rollbackRetryClaim(id, claim);
                            }
                        }
                        case 6 -> {
                            store.deleteRun(id);
                            live.remove(id);
                        }
                        case 7 -> {
                            db.clock().setNext(10_000 + step);
                            store.archiveExpiredRuns(1_000, 1 + rnd.nextInt(3));
                        }
                        default -> {
                            store.deleteExpiredArchivedRuns(20_000, 1 + rnd.nextInt(3));
                            live.retainAll(db.query("SELECT \"UUID\" FROM run_details").stream()
                                    .map(row -> (String) row.get(0)).toList());
                        }
                    }
                } catch (InvalidArgumentException | AbortedException e) {
                    op += " refused"; // not terminable, not finished: nothing changed
                }
            }
            assertExact(db, "after step " + step + ": " + op);
        }
        db.get(ExperimentStore.class).archiveExperiment("exp1"); // a multi-row UPDATE of StorageState
        assertExact(db, "after archiving exp1");
        assertThat(db.count("run_details")).isPositive();
    }

    /** Writes a KFP Go server would make, bypassing the stores: the triggers count them too. */
    @OnEachDatabase
    void countersFollowSqlThatBypassesTheStores(TestDatabase db) {
        Rows.experiment(db, "exp1", "ns1");
        Rows.experiment(db, "exp2", "ns2");
        for (int i = 0; i < 6; i++) {
            Rows.run(db, "r" + i, i < 4 ? "exp1" : "exp2"); // Namespace '', State NULL
        }
        assertExact(db, "after inserts");
        db.update("UPDATE run_details SET \"State\" = 'RUNNING', \"Namespace\" = 'ns1' WHERE \"ExperimentUUID\" = 'exp1'");
        assertExact(db, "after a multi-row state change");
        db.update("UPDATE run_details SET \"StorageState\" = 'ARCHIVED' WHERE \"UUID\" IN ('r0', 'r1', 'r4')");
        assertExact(db, "after a multi-row archive");
        db.update("UPDATE run_details SET \"ExperimentUUID\" = 'exp2', \"Namespace\" = 'ns2' WHERE \"UUID\" = 'r2'");
        assertExact(db, "after moving a run to another experiment and namespace");
        db.update("UPDATE run_details SET \"State\" = '' WHERE \"UUID\" = 'r5'"); // NULL -> '': the same counter
        db.update("UPDATE run_details SET \"State\" = NULL WHERE \"UUID\" = 'r3'"); // RUNNING -> NULL
        db.update("UPDATE run_details SET \"Description\" = 'not a key' WHERE \"UUID\" = 'r1'");
        assertExact(db, "after NULL and '' states");
        db.update("DELETE FROM run_details WHERE \"UUID\" IN ('r0', 'r3', 'r5')");
        assertExact(db, "after a multi-row delete");
        db.update("DELETE FROM run_details");
        assertThat(db.runCounts()).isEmpty();
    }

    /**
     * Threads change runs of one experiment at once: creations and deletions, and state changes
     * in every direction (each run's two counters are locked in key order). No change fails
     * (no deadlock surfaces) and the counters are exact afterwards.
     */
    @OnEachDatabase
    void concurrentChangesInOneExperimentNeitherFailNorDrift(TestDatabase db) throws Exception {
        Rows.experiment(db, "exp1", "ns1");
        RunStore store = db.get(RunStore.class);
        int threads = 6;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(writer(store, "t" + t, new Random(t), true));
        }
        inParallel(tasks);
        assertExact(db, "after concurrent changes");
        assertThat(db.count("run_details")).isGreaterThanOrEqualTo(threads * 3L);
    }

    /**
     * A bulk change beside single-run changes: one thread archives and unarchives the experiment
     * while others create and change its runs. Every store method locks in one order (experiment,
     * runs, their counters: run creation locks the experiment before inserting, archiving locks all
     * runs before its UPDATEs touch a counter), so no transaction is chosen as a deadlock victim
     * (TransactionalInterceptor would have run it again: a writer that does not retry, such as
     * KFP's Go server, would fail), no caller sees an error, and the counters stay exact.
     */
    @OnEachDatabase
    void archivingAnExperimentWhileItsRunsChangeNeitherFailsNorDrifts(TestDatabase db) throws Exception {
        Rows.experiment(db, "exp1", "ns1");
        RunStore store = db.get(RunStore.class);
        ExperimentStore experiments = db.get(ExperimentStore.class);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            tasks.add(writer(store, "a" + t, new Random(100 + t), false));
        }
        tasks.add(() -> {
            for (int i = 0; i < 15; i++) {
                experiments.archiveExperiment("exp1");
                experiments.unarchiveExperiment("exp1");
            }
            return null;
        });
        long retriesBefore = TransactionalInterceptor.retries();
        inParallel(tasks);
        assertThat(TransactionalInterceptor.retries() - retriesBefore).as("transactions run again after a deadlock").isZero();
        assertExact(db, "after archiving beside concurrent changes");
    }

    /**
     * Counters made wrong as statements that bypass the triggers leave them (a counter edited, one
     * deleted, one invented, then all truncated): the check names every wrong key with what it
     * holds and what the runs say, the command's check fails, its recount repairs them, and a
     * second recount changes nothing.
     */
    @OnEachDatabase
    void skewedCountersAreFoundAndRecounted(TestDatabase db) {
        Rows.experiment(db, "exp1", "ns1");
        RunStore store = db.get(RunStore.class);
        RunCounters counters = db.get(RunCounters.class);
        store.createRun(run("r1", "exp1", "ns1", RuntimeStates.RUNNING));
        store.createRun(run("r2", "exp1", "ns1", RuntimeStates.RUNNING));
        store.createRun(run("r3", "exp1", "ns1", RuntimeStates.SUCCEEDED));
        assertThat(counters.check()).isEmpty();

        db.update("UPDATE run_counts SET \"RunCount\" = \"RunCount\" + 5 WHERE \"State\" = ?", RuntimeStates.RUNNING);
        db.update("DELETE FROM run_counts WHERE \"State\" = ?", RuntimeStates.SUCCEEDED);
        db.update("INSERT INTO run_counts (\"ExperimentUUID\", \"Namespace\", \"StorageState\", \"State\", \"RunCount\")"
                + " VALUES ('exp1', 'ns1', 'AVAILABLE', 'FAILED', 2)");
        assertThat(counters.check()).containsExactly(
                new RunCounters.Drift("exp1", "ns1", "AVAILABLE", "FAILED", 2, 0),
                new RunCounters.Drift("exp1", "ns1", "AVAILABLE", RuntimeStates.RUNNING, 7, 2),
                new RunCounters.Drift("exp1", "ns1", "AVAILABLE", RuntimeStates.SUCCEEDED, 0, 1));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(kfp.store.command.RunCountersCommand.run("check", counters, new java.io.PrintStream(out, true))).isEqualTo(1);
        assertThat(out.toString()).contains("3 counters differ from their runs");

        assertThat(kfp.store.command.RunCountersCommand.run("recount", counters, new java.io.PrintStream(out, true))).isZero();
        assertExact(db, "after the recount");
        assertThat(counters.check()).isEmpty();
        assertThat(counters.recount()).isEqualTo(2); // idempotent: the same two keys again
        assertExact(db, "after a second recount");

        db.update("DELETE FROM run_counts"); // as TRUNCATE leaves them
        assertThat(counters.check()).hasSize(2);
        counters.recount();
        assertExact(db, "after a recount of emptied counters");
        store.updateRun(report(store.getRun("r1"), RuntimeStates.SUCCEEDED)); // the triggers count on top
        assertExact(db, "after a change that follows the recount");
    }

    /**
     * A recount while writers create and change runs: the writers wait for it (runs first, then
     * counters, as every run change locks) and their triggers count on top, so the counters are
     * exact afterwards and no transaction was a deadlock victim. H2 (one embedded server, no table
     * lock that lets readers through) recounts between the writers' changes instead (README, run
     * counters).
     */
    @OnEachDatabase
    void recountingWhileRunsChangeLeavesExactCounters(TestDatabase db) throws Exception {
        Rows.experiment(db, "exp1", "ns1");
        RunStore store = db.get(RunStore.class);
        RunCounters counters = db.get(RunCounters.class);
        boolean concurrent = !db.databaseId().equals("h2");
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            tasks.add(writer(store, "w" + t, new Random(200 + t), false));
        }
        Callable<Void> recounts = () -> {
            for (int i = 0; i < 10; i++) {
                counters.recount();
            }
            return null;
        };
        if (concurrent) {
            tasks.add(recounts);
        }
        long retriesBefore = TransactionalInterceptor.retries();
        inParallel(tasks);
        if (!concurrent) {
            recounts.call();
        }
        assertExact(db, "after recounts beside concurrent changes");
        assertThat(counters.check()).isEmpty();
        assertThat(TransactionalInterceptor.retries() - retriesBefore).as("transactions run again after a deadlock").isZero();
    }

    /**
     * 40 changes to runs of exp1 that this writer creates (ids prefix-i): creations, state reports
     * and, when {@code deletesAndArchives}, deletions and archiving.
     */
    private static Callable<Void> writer(RunStore store, String prefix, Random rnd, boolean deletesAndArchives) {
        return () -> {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                if (mine.size() < 3 || rnd.nextInt(deletesAndArchives ? 5 : 4) == 0) {
                    String id = prefix + "-" + i;
                    store.createRun(run(id, "exp1", "ns1", STATES[rnd.nextInt(STATES.length)]));
                    mine.add(id);
                } else if (deletesAndArchives && rnd.nextInt(8) == 0) {
                    store.deleteRun(mine.remove(rnd.nextInt(mine.size())));
                } else if (deletesAndArchives && rnd.nextInt(6) == 0) {
                    store.archiveRun(mine.get(rnd.nextInt(mine.size())));
                } else {
                    Run stored = store.getRun(mine.get(rnd.nextInt(mine.size())));
                    store.updateRun(report(stored, STATES[rnd.nextInt(STATES.length)]));
                }
            }
            return null;
        };
    }

    /** Runs each task on a thread of its own; the first failure fails the test. */
    private static void inParallel(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                done.add(pool.submit(task));
            }
            for (Future<Void> f : done) {
                f.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Proof of the path: counters made wrong on purpose show in total_size exactly for the lists
     * they may answer; every other list still counts its runs.
     */
    @OnEachDatabase
    void totalSizeReadsTheCountersOnlyWhereTheyAnswerExactly(TestDatabase db) {
        RunStore store = ListRunsTest.fixture(db); // runs 1, 2 (exp1, ns1; 2 from job1) and 3 (exp2, ns2), RUNNING
        db.update("UPDATE run_details SET \"State\" = NULL WHERE \"UUID\" = '3'");
        db.update("UPDATE run_details SET \"State\" = '' WHERE \"UUID\" = '2'");
        db.update("UPDATE run_counts SET \"RunCount\" = \"RunCount\" + 100");
        long counterRows = db.count("run_counts");

        record Case(FilterContext context, String filter, long total) { }
        FilterContext none = FilterContext.NONE;
        FilterContext exp1 = FilterContext.of(ResourceType.EXPERIMENT, "exp1");
        FilterContext ns2 = FilterContext.of(ResourceType.NAMESPACE, "ns2");
        List<Case> counted = List.of(
                new Case(none, "", 3 + 100 * counterRows),
                new Case(exp1, "", 2 + 200), // exp1: RUNNING and '' counters
                new Case(ns2, "", 1 + 200), // its '' counter and its RUNNING one, now at 0
                new Case(none, filter("storage_state", "NOT_EQUALS", "\"ARCHIVED\""), 3 + 100 * counterRows),
                new Case(exp1, filter("state", "EQUALS", "\"RUNNING\""), 1 + 100),
                new Case(none, filter("state", "IN", "[\"RUNNING\", \"FAILED\"]"), 1 + 200),
                new Case(none, filter("namespace", "IN", "[\"ns1\"]") + "|" + filter("experiment_id", "EQUALS", "\"exp1\""),
                        2 + 200));
        List<Case> countedByRows = List.of(
                new Case(FilterContext.of(ResourceType.JOB, "job1"), "", 1), // a reference sub-query
                new Case(none, filter("state", "NOT_EQUALS", "\"RUNNING\""), 1), // NULL <> 'RUNNING' is not true
                new Case(none, filter("state", "EQUALS", "\"\""), 1), // '' but not NULL
                new Case(exp1, filter("state", "IN", "[\"RUNNING\", \"\"]"), 2),
                new Case(none, filter("name", "EQUALS", "\"run 1\""), 1),
                new Case(exp1, filter("created_at", "GREATER_THAN", "1"), 1),
                new Case(none, filter("storage_state", "IS_SUBSTRING", "\"AVAIL\""), 3));
        for (Case c : counted) {
            assertThat(store.listRuns(c.context(), options(c.filter())).totalSize()).as("counted: " + c).isEqualTo(c.total());
        }
        for (Case c : countedByRows) {
            assertThat(store.listRuns(c.context(), options(c.filter())).totalSize()).as("by rows: " + c).isEqualTo(c.total());
        }
        // a page token carries the filter: the next page answers the same way
        String token = store.listRuns(exp1, ListOptions.firstPage(1)).nextPageToken();
        assertThat(store.listRuns(exp1, ListOptions.firstPage(1).withPageToken(token)).totalSize()).isEqualTo(202);
    }

    /**
     * Randomized: runs over every key shape (NULL and '' states, the empty namespace), random
     * contexts and filters the counters may or may not answer; total_size always equals the runs
     * an in-memory evaluation of the request matches. Both paths are exercised.
     */
    @OnEachDatabase
    void totalSizeEqualsTheMatchingRunsForRandomContextsAndFilters(TestDatabase db) {
        Random rnd = new Random(20261121L);
        String[] namespaces = {"", "ns1", "ns2"};
        String[] experiments = {"exp1", "exp2", "exp3"};
        String[] storage = {"AVAILABLE", "ARCHIVED"};
        String[] states = {"RUNNING", "SUCCEEDED", "FAILED", "", null};
        Rows.job(db, "job1", "exp1");
        List<Object[]> runs = new ArrayList<>(); // namespace, experiment, storage state, state, created at, job1
        for (int i = 0; i < 80; i++) {
            Object[] r = {namespaces[rnd.nextInt(3)], experiments[rnd.nextInt(3)], storage[rnd.nextInt(2)],
                states[rnd.nextInt(states.length)], (long) rnd.nextInt(5), rnd.nextInt(4) == 0};
            runs.add(r);
            db.update("INSERT INTO run_details (\"UUID\", \"DisplayName\", \"Name\", \"Description\", \"Namespace\", "
                    + "\"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\", "
                    + "\"CreatedAtInSec\", \"Conditions\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\", \"State\") "
                    + "VALUES (?, ?, '', '', ?, ?, ?, '', '', '', ?, 'Running', '', '', ?)",
                    "run-" + i, "run " + i, r[0], r[1], r[2], r[4], r[3]);
            if ((Boolean) r[5]) {
                db.update("INSERT INTO resource_references VALUES (?, 'Run', 'job1', '', 'Job', 'Creator', '{}')", "run-" + i);
            }
        }
        RunStore store = db.get(RunStore.class);
        String[] keys = {"namespace", "experiment_id", "storage_state", "state", "created_at"};
        String[][] values = {{"", "ns1", "ns2", "nsX"}, {"exp1", "exp2", "exp3", ""}, {"AVAILABLE", "ARCHIVED", "X"},
            {"RUNNING", "SUCCEEDED", "FAILED", "", "X"}};
        String[] ops = {"EQUALS", "NOT_EQUALS", "IN", "GREATER_THAN"};
        int counted = 0;
        for (int round = 0; round < 120; round++) {
            FilterContext context = switch (rnd.nextInt(4)) {
                case 0 -> FilterContext.NONE;
                case 1 -> FilterContext.of(ResourceType.NAMESPACE, namespaces[rnd.nextInt(3)]);
                case 2 -> FilterContext.of(ResourceType.EXPERIMENT, experiments[rnd.nextInt(3)]);
                default -> FilterContext.of(ResourceType.RECURRING_RUN, "job1");
            };
            java.util.function.Predicate<Object[]> want = r -> context.key().map(k -> switch (k.type()) {
                case NAMESPACE -> r[0].equals(k.id());
                case EXPERIMENT -> r[1].equals(k.id());
                default -> (Boolean) r[5];
            }).orElse(true);
            List<String> predicates = new ArrayList<>();
            for (int n = rnd.nextInt(3); n > 0; n--) {
                int key = rnd.nextInt(rnd.nextInt(6) == 0 ? 5 : 4);
                if (key == 4) { // created_at: never counted by the counters
                    long v = rnd.nextInt(5);
                    predicates.add(filter("created_at", "GREATER_THAN", String.valueOf(v)));
                    want = want.and(r -> (Long) r[4] > v);
                    continue;
                }
                String op = ops[rnd.nextInt(3)];
                List<String> vs = new ArrayList<>();
                for (int k = op.equals("IN") ? rnd.nextInt(3) : 1; k > 0; k--) {
                    vs.add(values[key][rnd.nextInt(values[key].length)]);
                }
                predicates.add(filter(keys[key], op, op.equals("IN")
                        ? vs.stream().map(v -> "\"" + v + "\"").toList().toString() : "\"" + vs.get(0) + "\""));
                int column = key;
                want = want.and(r -> r[column] != null && switch (op) {
                    case "EQUALS" -> r[column].equals(vs.get(0));
                    case "NOT_EQUALS" -> !r[column].equals(vs.get(0));
                    default -> vs.contains(r[column]);
                });
            }
            String request = String.join("|", predicates);
            long expected = runs.stream().filter(want).count();
            if (MyBatisRunStore.countedByRunCounts(context.is(ResourceType.RECURRING_RUN)
                    ? FilterContext.of(ResourceType.JOB, "job1") : context, kfp.store.list.Filter.parse(
                            request.isEmpty() ? "" : "{\"predicates\":[" + request.replace("|", ",") + "]}"))) {
                counted++;
            }
            assertThat(store.listRuns(context, options(request)).totalSize()).as("round " + round + ": " + context + " "
                    + request).isEqualTo(expected);
        }
        assertThat(counted).as("rounds the counters answered").isBetween(30, 100);
    }

    /** {@code filter("k", "EQUALS", "\"v\"")}: one predicate; predicates joined by {@code |}. */
    private static String filter(String key, String op, String value) {
        String field = value.startsWith("[") ? "string_values\":{\"values\":" + value + "}"
                : value.startsWith("\"") ? "string_value\":" + value : "long_value\":" + value;
        return "{\"key\":\"" + key + "\",\"operation\":\"" + op + "\",\"" + field + "}";
    }

    private static ListOptions options(String predicates) {
        return predicates.isEmpty() ? ListOptions.firstPage(1)
                : ListOptions.firstPage(1).withFilter("{\"predicates\":[" + predicates.replace("|", ",") + "]}");
    }
}
