package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import kfp.store.api.FilterContext;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.api.TaskStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** ListRuns, with the cases of KFP's run store tests ({@code docs/kfp-compatibility.md#sort-fields}, {@code #metric-names}). */
@StoreTest
class ListRunsTest {

    /** KFP's fixture: runs 1 and 2 in exp1 (with the metric dummymetric), run 3 in exp2, in ns1 / ns2. */
    static RunStore fixture(TestDatabase db) {
        Rows.experiment(db, "exp1", "ns1");
        Rows.experiment(db, "exp2", "ns2");
        Rows.job(db, "job1", "exp1");
        RunStore store = db.get(RunStore.class);
        for (String id : List.of("1", "2", "3")) {
            Run r = RunStoreTest.run(id, id.equals("3") ? "exp2" : "exp1");
            r.namespace = id.equals("3") ? "ns2" : "ns1";
            r.createdAtInSec = Long.parseLong(id);
            r.recurringRunId = id.equals("2") ? "job1" : "";
            store.createRun(r);
        }
        store.createMetric(new RunMetric("1", "node1", "dummymetric", 1.0, "RAW"));
        store.createMetric(new RunMetric("2", "node2", "dummymetric", 2.0, "RAW"));
        db.get(TaskStore.class).createTask(TaskStoreTest.task("1", "pod-1"));
        return store;
    }

    private static List<String> ids(ListResult<Run> page) {
        return page.items().stream().map(r -> r.uuid).toList();
    }

    /** Every page of a list, following the tokens. */
    private static List<String> allPages(RunStore store, FilterContext context, ListOptions first) {
        List<String> all = new ArrayList<>();
        ListResult<Run> page = store.listRuns(context, first);
        all.addAll(ids(page));
        while (!page.nextPageToken().isEmpty()) {
            page = store.listRuns(context, ListOptions.firstPage(first.pageSize()).withPageToken(page.nextPageToken()));
            all.addAll(ids(page));
        }
        return all;
    }

    @OnEachDatabase
    void pagesOfAnExperimentCarryTheirChildren(TestDatabase db) {
        RunStore store = fixture(db);
        FilterContext exp1 = FilterContext.of(ResourceType.EXPERIMENT, "exp1");
        ListResult<Run> page1 = store.listRuns(exp1, ListOptions.firstPage(1));
        assertThat(ids(page1)).containsExactly("1");
        assertThat(page1.totalSize()).isEqualTo(2);
        Run one = page1.items().get(0);
        assertThat(one).usingRecursiveComparison().isEqualTo(store.getRun("1"));
        assertThat(one.metrics).extracting(m -> m.name).containsExactly("dummymetric");
        assertThat(one.tasks).extracting(t -> t.podName).containsExactly("pod-1");
        assertThat(one.resourceReferences).hasSize(2);
        assertThat(one.stateHistory).hasSize(1);
        assertThat(one.runtimeParameters).isEqualTo("{\"param1\":\"world\"}");

        ListResult<Run> page2 = store.listRuns(exp1, ListOptions.firstPage(1).withPageToken(page1.nextPageToken()));
        assertThat(ids(page2)).containsExactly("2");
        assertThat(page2.nextPageToken()).isEmpty();
        assertThat(page2.items().get(0).tasks).isEmpty();
    }

    @OnEachDatabase
    void contextsAndTotals(TestDatabase db) {
        RunStore store = fixture(db);
        assertThat(store.listRuns(FilterContext.NONE, ListOptions.firstPage(10)).totalSize()).isEqualTo(3);
        assertThat(ids(store.listRuns(FilterContext.of(ResourceType.NAMESPACE, "ns2"), ListOptions.firstPage(10))))
                .containsExactly("3");
        // a recurring run's runs, through the references
        assertThat(ids(store.listRuns(FilterContext.of(ResourceType.JOB, "job1"), ListOptions.firstPage(10))))
                .containsExactly("2");
        assertThat(ids(store.listRuns(FilterContext.of(ResourceType.RECURRING_RUN, "job1"), ListOptions.firstPage(10))))
                .containsExactly("2");
        String names = "{\"predicates\":[{\"key\":\"name\",\"operation\":\"IN\",\"string_values\":{\"values\":[\"RUN 1\",\"run 3\"]}}]}";
        ListResult<Run> filtered = store.listRuns(FilterContext.NONE, ListOptions.firstPage(1).withFilter(names));
        assertThat(filtered.totalSize()).isEqualTo(2);
        assertThat(allPages(store, FilterContext.NONE, ListOptions.firstPage(1).withFilter(names))).containsExactly("1", "3");
        // archived runs are still listed
        store.archiveRun("2");
        assertThat(allPages(store, FilterContext.NONE, ListOptions.firstPage(2).withSortBy("created_at desc")))
                .containsExactly("3", "2", "1");
    }

    /** experiment_id and recurring_run_id sort across pages ({@code docs/kfp-compatibility.md#sort-fields}). */
    @OnEachDatabase
    void fieldsKfpCouldNotPageBySortAcrossPages(TestDatabase db) {
        RunStore store = fixture(db);
        assertThat(allPages(store, FilterContext.NONE, ListOptions.firstPage(1).withSortBy("experiment_id desc")))
                .containsExactly("3", "2", "1");
        assertThat(allPages(store, FilterContext.NONE, ListOptions.firstPage(1).withSortBy("recurring_run_id")))
                .containsExactly("1", "3", "2");
    }

    @OnEachDatabase
    void metricSortAcrossPagesBothWays(TestDatabase db) {
        RunStore store = fixture(db);
        assertThat(allPages(store, FilterContext.NONE, ListOptions.firstPage(1).withSortBy("metric:dummymetric")))
                .containsExactly("1", "2", "3"); // run 3 has no such metric: last
        assertThat(allPages(store, FilterContext.NONE, ListOptions.firstPage(1).withSortBy("metric:dummymetric desc")))
                .containsExactly("2", "1", "3");
        assertThat(allPages(store, FilterContext.of(ResourceType.EXPERIMENT, "exp1"),
                ListOptions.firstPage(1).withSortBy("metric:dummymetric desc"))).containsExactly("2", "1");
    }

    /**
     * Mixed-case and hyphenated metric names are matched exactly on every database (KFP
     * lower-cased them, so PostgreSQL never found "Log-Loss": docs/kfp-compatibility.md#metric-names),
     * across pages.
     */
    @OnEachDatabase
    void mixedCaseAndHyphenatedMetricNamesSortAcrossPages(TestDatabase db) {
        RunStore store = fixture(db);
        Rows.experiment(db, "exp3", "ns1");
        for (int i = 0; i < 7; i++) {
            Run r = RunStoreTest.run("m" + i, "exp3");
            store.createRun(r);
            store.createMetric(new RunMetric("m" + i, "node", "Log-Loss", (double) ((i * 3) % 7), "RAW"));
            store.createMetric(new RunMetric("m" + i, "node", "log-loss", (double) -i, "RAW")); // a different metric
        }
        FilterContext exp3 = FilterContext.of(ResourceType.EXPERIMENT, "exp3");
        // Log-Loss values: m0=0, m1=3, m2=6, m3=2, m4=5, m5=1, m6=4
        assertThat(allPages(store, exp3, ListOptions.firstPage(2).withSortBy("metric:Log-Loss")))
                .containsExactly("m0", "m5", "m3", "m1", "m6", "m4", "m2");
        assertThat(allPages(store, exp3, ListOptions.firstPage(3).withSortBy("metric:Log-Loss desc")))
                .containsExactly("m2", "m4", "m6", "m1", "m3", "m5", "m0");
        assertThat(allPages(store, exp3, ListOptions.firstPage(3).withSortBy("metric:log-loss")))
                .containsExactly("m6", "m5", "m4", "m3", "m2", "m1", "m0");
    }

    @OnEachDatabase
    void metricSortTokenMustMatchAndInjectionShapedNamesStayValues(TestDatabase db) {
        RunStore store = fixture(db);
        String evil = "x');DROP/**/TABLE/**/run_details;--"; // sort_by splits on spaces, so none here
        ListResult<Run> page = store.listRuns(FilterContext.NONE, ListOptions.firstPage(1).withSortBy("metric:" + evil));
        assertThat(page.totalSize()).isEqualTo(3);
        assertThat(allPages(store, FilterContext.NONE, ListOptions.firstPage(1).withSortBy("metric:" + evil)))
                .containsExactly("1", "2", "3"); // nobody has it: all NULL, by key
        assertThatThrownBy(() -> store.listRuns(FilterContext.NONE,
                ListOptions.firstPage(1).withSortBy("metric:other").withPageToken(page.nextPageToken())))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.listRuns(FilterContext.NONE, ListOptions.firstPage(1).withSortBy("metric:")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(db.count("run_details")).isEqualTo(3);
    }

    /**
     * A filter holds at most 1,000 values: the most there is lists on every database, including
     * H2's and PostgreSQL's case-insensitive IN (one LOWER(?) each), and page tokens carry it; one
     * more is InvalidArgument (an IN of 70,000 ids exceeded PostgreSQL's bind limit, as Internal).
     */
    @OnEachDatabase
    void aFilterOfAThousandValuesListsAndOneMoreIsRefused(TestDatabase db) {
        RunStore store = fixture(db);
        for (String key : List.of("run_id", "display_name")) {
            List<String> values = new ArrayList<>();
            values.add(key.equals("run_id") ? "1" : "RUN 1");
            values.add(key.equals("run_id") ? "3" : "run 3");
            for (int i = values.size(); i < kfp.store.list.Filter.MAX_VALUES; i++) {
                values.add("value-" + i);
            }
            String filter = "{\"predicates\":[{\"key\":\"" + key + "\",\"operation\":\"IN\",\"string_values\":{\"values\":[\""
                    + String.join("\",\"", values) + "\"]}}]}";
            assertThat(allPages(store, FilterContext.NONE, ListOptions.firstPage(1).withFilter(filter))).as(key)
                    .containsExactly("1", "3");
            String oneMore = filter.replace("\"value-2\"", "\"value-2\",\"value-extra\"");
            assertThatThrownBy(() -> store.listRuns(FilterContext.NONE, ListOptions.firstPage(1).withFilter(oneMore)))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("Invalid filter: it holds 1001 values (IN lists included); at most 1000 are allowed");
        }
    }
}
