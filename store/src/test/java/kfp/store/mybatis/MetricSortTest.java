package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import kfp.store.api.FilterContext;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * ListRuns sorted by {@code metric:<name>} under both plans of MyBatisRunStore (the metric index
 * walk and the scope-first read), each forced: every page of every list equals
 * an order computed here from the fixture, both plans hand out the same tokens, and a token of
 * one plan continues under the other.
 */
@StoreTest
class MetricSortTest {

    private static final String METRIC = "accuracy";
    private static final String UI_DEFAULT =
            "{\"predicates\":[{\"key\":\"storage_state\",\"operation\":\"NOT_EQUALS\",\"string_value\":\"ARCHIVED\"}]}";
    private static final String UI_DEFAULT_AND_CREATED_AFTER_12 =
            "{\"predicates\":[{\"key\":\"storage_state\",\"operation\":\"NOT_EQUALS\",\"string_value\":\"ARCHIVED\"},"
            + "{\"key\":\"created_at\",\"operation\":\"GREATER_THAN\",\"long_value\":12}]}";
    private static final FilterContext EXPERIMENT = FilterContext.of(ResourceType.EXPERIMENT, "exp");

    private static final int RUNS = 48;

    /** What the fixture holds per run of the experiment: its value (null: none), archived, created at. */
    private record Expected(String id, Double value, boolean archived, long createdAt) { }

    /**
     * 48 runs in the experiment (UUIDs not in creation order) and 8 in another one, with: runs
     * without the metric, runs whose only row of it has a NULL value, a NULL row next to a
     * value, several nodes reporting it (the largest wins, the run is listed once), two nodes
     * with the same value, ties between runs, negative values, metrics of other names (one
     * differing only in case) with values that would reorder the list, archived runs.
     */
    private static List<Expected> fixture(TestDatabase db, RunStore store) {
        Rows.experiment(db, "exp", "ns1");
        Rows.experiment(db, "other", "ns1");
        List<Expected> expected = new ArrayList<>();
        for (int i = 0; i < RUNS + 8; i++) {
            boolean inExperiment = i < RUNS;
            String id = String.format("%02x-run", (i * 37 + 11) % 256);
            Run r = RunStoreTest.run(id, inExperiment ? "exp" : "other");
            r.createdAtInSec = i + 1;
            store.createRun(r);
            double base = ((i * 7) % 11 - 3) / 4.0; // ties: 11 distinct values over the runs, some negative
            Double value = switch (i % 8) {
                case 0 -> null; // no row of the metric
                case 1 -> { // only a NULL value
                    store.createMetric(new RunMetric(id, "node-a", METRIC, null, "RAW"));
                    yield null;
                }
                case 2 -> { // several nodes: the largest wins
                    store.createMetric(new RunMetric(id, "node-a", METRIC, base + 0.5, "RAW"));
                    store.createMetric(new RunMetric(id, "node-b", METRIC, base, "RAW"));
                    store.createMetric(new RunMetric(id, "node-c", METRIC, base - 1, "RAW"));
                    yield base + 0.5;
                }
                case 3 -> { // a tie between two nodes of the run
                    store.createMetric(new RunMetric(id, "node-a", METRIC, 0.25, "RAW"));
                    store.createMetric(new RunMetric(id, "node-b", METRIC, 0.25, "RAW"));
                    yield 0.25;
                }
                case 4 -> { // a NULL row next to a value
                    store.createMetric(new RunMetric(id, "node-a", METRIC, null, "RAW"));
                    store.createMetric(new RunMetric(id, "node-b", METRIC, base, "RAW"));
                    yield base;
                }
                default -> {
                    store.createMetric(new RunMetric(id, "node-a", METRIC, base, "RAW"));
                    yield base;
                }
            };
            store.createMetric(new RunMetric(id, "node-a", "loss", (double) -i, "RAW"));
            store.createMetric(new RunMetric(id, "node-z", "Accuracy", (double) (100 - i), "RAW"));
            boolean archived = i % 5 == 0;
            if (archived) {
                store.archiveRun(id);
            }
            if (inExperiment) {
                expected.add(new Expected(id, value, archived, r.createdAtInSec));
            }
        }
        return expected;
    }

    /** The list's order: values (then UUID) in the direction, then the runs without a value by UUID. */
    private static List<String> order(List<Expected> runs, IntPredicate createdAt, boolean desc) {
        Comparator<Expected> byValue = Comparator.comparing(Expected::value).thenComparing(Expected::id);
        Comparator<Expected> byId = Comparator.comparing(Expected::id);
        List<String> ids = new ArrayList<>();
        List<Expected> kept = runs.stream().filter(e -> !e.archived() && createdAt.test((int) e.createdAt())).toList();
        kept.stream().filter(e -> e.value() != null).sorted(desc ? byValue.reversed() : byValue).map(Expected::id).forEach(ids::add);
        kept.stream().filter(e -> e.value() == null).sorted(desc ? byId.reversed() : byId).map(Expected::id).forEach(ids::add);
        return ids;
    }

    private static MyBatisRunStore store(TestDatabase db) {
        return (MyBatisRunStore) db.get(RunStore.class);
    }

    /** One list walked to its end; plans[i % plans.length] is the plan of page i. */
    private record Walk(List<String> ids, List<String> tokens, List<Integer> totals) { }

    private static Walk walk(MyBatisRunStore store, ListOptions first, MyBatisRunStore.MetricPlan... plans) {
        List<String> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        ListOptions options = first;
        for (int page = 0; ; page++) {
            store.setMetricPlan(plans[page % plans.length]);
            ListResult<Run> result = store.listRuns(EXPERIMENT, options);
            result.items().forEach(r -> ids.add(r.uuid));
            totals.add(result.totalSize());
            tokens.add(result.nextPageToken());
            assertThat(result.items().size()).isLessThanOrEqualTo(first.pageSize());
            if (result.nextPageToken().isEmpty()) {
                return new Walk(ids, tokens, totals);
            }
            assertThat(result.items()).hasSize(first.pageSize());
            options = ListOptions.firstPage(first.pageSize()).withPageToken(result.nextPageToken());
            assertThat(page).isLessThan(RUNS + 1);
        }
    }

    private static final MyBatisRunStore.MetricPlan WALK = MyBatisRunStore.MetricPlan.INDEX_WALK;
    private static final MyBatisRunStore.MetricPlan SCOPE_FIRST = MyBatisRunStore.MetricPlan.SCOPE_FIRST;

    @OnEachDatabase
    void bothPlansListEveryPageInTheSameOrderWithTheSameTokens(TestDatabase db) {
        MyBatisRunStore store = store(db);
        List<Expected> runs = fixture(db, store);
        Map<String, IntPredicate> filters = new HashMap<>();
        filters.put(UI_DEFAULT, c -> true);
        filters.put(UI_DEFAULT_AND_CREATED_AFTER_12, c -> c > 12);
        for (var filter : filters.entrySet()) {
            for (boolean desc : List.of(false, true)) {
                List<String> expected = order(runs, filter.getValue(), desc);
                assertThat(expected).hasSizeGreaterThan(20);
                for (int size : List.of(1, 2, 7)) {
                    ListOptions first = ListOptions.firstPage(size).withFilter(filter.getKey())
                            .withSortBy("metric:" + METRIC + (desc ? " desc" : ""));
                    Walk walked = walk(store, first, WALK);
                    Walk read = walk(store, first, SCOPE_FIRST);
                    String what = filter.getKey() + (desc ? " desc" : " asc") + " page size " + size;
                    assertThat(walked.ids()).as("index walk, " + what).containsExactlyElementsOf(expected);
                    assertThat(read.ids()).as("scope first, " + what).containsExactlyElementsOf(expected);
                    assertThat(walked.tokens()).as("tokens, " + what).containsExactlyElementsOf(read.tokens());
                    assertThat(walked.totals()).containsOnly(expected.size());
                    assertThat(read.totals()).containsOnly(expected.size());
                }
            }
        }
    }

    /** The plan changes between two pages (the list grew or shrank): the token continues. */
    @OnEachDatabase
    void aTokenOfOnePlanContinuesUnderTheOther(TestDatabase db) {
        MyBatisRunStore store = store(db);
        List<Expected> runs = fixture(db, store);
        for (boolean desc : List.of(false, true)) {
            List<String> expected = order(runs, c -> true, desc);
            for (int size : List.of(1, 2, 7)) {
                ListOptions first = ListOptions.firstPage(size).withFilter(UI_DEFAULT)
                        .withSortBy("metric:" + METRIC + (desc ? " desc" : ""));
                assertThat(walk(store, first, WALK, SCOPE_FIRST).ids()).containsExactlyElementsOf(expected);
                assertThat(walk(store, first, SCOPE_FIRST, WALK).ids()).containsExactlyElementsOf(expected);
                assertThat(walk(store, first, WALK, WALK, SCOPE_FIRST).ids()).containsExactlyElementsOf(expected);
            }
        }
    }

    /** The plan chosen by cost lists the same pages as the forced ones. */
    @OnEachDatabase
    void thePlanChosenByCostListsTheSameOrder(TestDatabase db) {
        MyBatisRunStore store = store(db);
        List<Expected> runs = fixture(db, store);
        ListOptions first = ListOptions.firstPage(2).withFilter(UI_DEFAULT).withSortBy("metric:" + METRIC + " desc");
        assertThat(walk(store, first, MyBatisRunStore.MetricPlan.BY_COST).ids())
                .containsExactlyElementsOf(order(runs, c -> true, true));
    }

    /**
     * Every field a run list filters on works under a metric sort, in both plans, with a page
     * token (the metric statements read run_details through their own derived tables, so a column
     * they did not carry failed as "column not found"): each lists, page by page, the runs the
     * same filter lists under the default sort, in the same order under either plan.
     */
    @OnEachDatabase
    void everyFilterableFieldWorksUnderAMetricSort(TestDatabase db) {
        MyBatisRunStore store = store(db);
        fixture(db, store);
        for (Map.Entry<String, kfp.store.list.Field> e : MyBatisRunStore.RUNS.fields().entrySet()) {
            boolean text = e.getValue().kind() == kfp.store.list.Field.Kind.STRING;
            String filter = "{\"predicates\":[{\"key\":\"" + e.getKey() + "\",\"operation\":\"GREATER_THAN_EQUALS\","
                    + (text ? "\"string_value\":\"\"" : "\"long_value\":\"0\"") + "}]}";
            List<String> expected = new ArrayList<>();
            store.setMetricPlan(MyBatisRunStore.MetricPlan.BY_COST);
            ListOptions all = ListOptions.firstPage(200).withFilter(filter);
            store.listRuns(EXPERIMENT, all).items().forEach(r -> expected.add(r.uuid));
            assertThat(expected).as(e.getKey()).isNotEmpty();
            ListOptions first = ListOptions.firstPage(7).withFilter(filter).withSortBy("metric:" + METRIC + " desc");
            Walk walked = walk(store, first, WALK);
            Walk read = walk(store, first, SCOPE_FIRST);
            assertThat(walked.ids()).as(e.getKey()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(read.ids()).as(e.getKey()).containsExactlyElementsOf(walked.ids());
            assertThat(read.tokens()).as(e.getKey()).containsExactlyElementsOf(walked.tokens());
        }
    }

    /**
     * NaN and ±Infinity (Python reports NaN losses) are refused, the same on every database,
     * naming the metric; MySQL could not store them, and PostgreSQL and H2 stored them and then
     * could not page past them.
     */
    @OnEachDatabase
    void nonFiniteValuesAreRefused(TestDatabase db) {
        MyBatisRunStore store = store(db);
        Rows.experiment(db, "exp", "ns1");
        store.createRun(RunStoreTest.run("r1", "exp"));
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> store.createMetric(new RunMetric("r1", "node-a", "loss", v, "RAW")))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("Invalid run metric: number_value of metric loss of node node-a is " + v
                            + "; only finite numbers are stored");
        }
        assertThat(db.count("run_metrics")).isZero();
        store.createMetric(new RunMetric("r1", "node-a", "loss", -0.5, "RAW"));
        assertThat(db.count("run_metrics")).isEqualTo(1);
    }

    /**
     * A database another writer filled (KFP's Go server on PostgreSQL, where numeric and double
     * precision hold NaN and ±Infinity) still pages past such values: they sort as the database
     * orders them (-Infinity first, then finite values, +Infinity, NaN), page tokens carry them,
     * and both plans agree. MySQL cannot hold them at all.
     */
    @OnEachDatabase
    void pagesRunPastNonFiniteValuesOtherWritersStored(TestDatabase db) {
        MyBatisRunStore store = store(db);
        Rows.experiment(db, "exp", "ns1");
        double[] values = {Double.NaN, 1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -2, 0.25};
        Map<String, Double> byRun = new HashMap<>();
        boolean held = true;
        for (int i = 0; i < values.length + 2; i++) {
            String id = "run-" + i;
            store.createRun(RunStoreTest.run(id, "exp"));
            if (i >= values.length) {
                continue; // runs without the metric
            }
            double v = values[i];
            if (Double.isFinite(v)) {
                store.createMetric(new RunMetric(id, "node-a", METRIC, v, "RAW"));
            } else {
                try {
                    db.update("INSERT INTO run_metrics (\"RunUUID\", \"NodeID\", \"Name\", \"NumberValue\", \"Payload\")"
                            + " VALUES (?, 'node-a', ?, ?, '{}')", id, METRIC, v);
                } catch (RuntimeException refused) {
                    held = false;
                    continue;
                }
            }
            byRun.put(id, v);
        }
        assertThat(held).as("the database holds non-finite numbers").isEqualTo(!db.databaseId().equals("mysql"));
        for (boolean desc : List.of(false, true)) {
            Comparator<String> byValue = Comparator.<String, Double>comparing(byRun::get, Double::compare)
                    .thenComparing(Comparator.naturalOrder());
            List<String> expected = new ArrayList<>(byRun.keySet().stream().sorted(desc ? byValue.reversed() : byValue).toList());
            List<String> without = new ArrayList<>();
            for (int i = 0; i < values.length + 2; i++) {
                if (!byRun.containsKey("run-" + i)) {
                    without.add("run-" + i);
                }
            }
            without.sort(desc ? Comparator.reverseOrder() : Comparator.naturalOrder());
            expected.addAll(without);
            for (int size : List.of(1, 2)) {
                ListOptions first = ListOptions.firstPage(size).withSortBy("metric:" + METRIC + (desc ? " desc" : ""));
                Walk walked = walk(store, first, WALK);
                Walk read = walk(store, first, SCOPE_FIRST);
                assertThat(walked.ids()).as("index walk, desc " + desc + ", size " + size).containsExactlyElementsOf(expected);
                assertThat(read.ids()).as("scope first, desc " + desc + ", size " + size).containsExactlyElementsOf(expected);
                assertThat(walk(store, first, WALK, SCOPE_FIRST).ids()).containsExactlyElementsOf(expected);
            }
        }
    }

    /**
     * The cost rule: walk when the list is large against the table (S² ≥ 0.5 × page × N), read the
     * list first when it is a small part of a large table.
     */
    @org.junit.jupiter.api.Test
    void theWalkIsChosenForListsThatAreALargePartOfTheTable() {
        assertThat(MyBatisRunStore.walkIsCheaper(45_000, 21, 100_000)).isTrue();   // the UI's big experiment
        assertThat(MyBatisRunStore.walkIsCheaper(450_000, 21, 1_000_000)).isTrue();
        assertThat(MyBatisRunStore.walkIsCheaper(4_500, 21, 1_000_000)).isTrue();   // 4,500² ≥ 0.5 × 21 × 10⁶
        assertThat(MyBatisRunStore.walkIsCheaper(1_000, 21, 1_000_000)).isFalse(); // 1,000 runs of a million
        assertThat(MyBatisRunStore.walkIsCheaper(10, 201, 1_000)).isFalse();
        assertThat(MyBatisRunStore.walkIsCheaper(0, 21, 0)).isTrue();              // an empty table: either plan reads nothing
    }
}
