package kfp.store.mybatis.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mybatis.dynamic.sql.SqlBuilder.and;
import static org.mybatis.dynamic.sql.SqlBuilder.isEqualTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ResourceType;
import kfp.store.mybatis.mapper.MapperCatalog;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.reflection.MetaObject;
import org.apache.ibatis.session.Configuration;

/**
 * With 10,000 experiments, pipelines, pipeline versions, runs, recurring runs and tasks, the first page of each list (default
 * and name sort, both directions, with and without its scope) is read in index order: the plan has
 * no full scan and no sort of the table (MySQL/MariaDB: no {@code ALL}, no {@code Using
 * filesort}; PostgreSQL: no {@code Seq Scan}, no {@code Sort}). H2 is checked too, more loosely:
 * no {@code tableScan}. H2 uses an index for ORDER BY only when the sort columns start the index,
 * so behind an equality scope it sorts the rows the index selected (one namespace, one
 * pipeline), not the table; H2 is the embedded single-server database.
 *
 * <p>The statements are the mappers' own, bound by MyBatis with a ListQuery from the engine.
 */
@StoreTest
class ListPlanTest {

    private static final int ROWS = 10_000;
    private static final int CHUNK = 500;

    @OnEachDatabase
    void firstPagesAreReadInIndexOrder(TestDatabase db) throws SQLException {
        fill(db);
        Configuration mybatis = catalog(db);
        ListEngine engine = new ListEngine(db.dialect());

        Scope ready = Scope.of(and(Tables.PIPELINES.status, isEqualTo("READY")));
        Scope readyIn = Scope.of(FilterContext.of(ResourceType.NAMESPACE, "ns3"),
                Map.of(ResourceType.NAMESPACE, Tables.PIPELINES.namespace)).and(ready);
        Scope experimentsIn = Scope.of(FilterContext.of(ResourceType.NAMESPACE, "ns3"),
                Map.of(ResourceType.NAMESPACE, Tables.EXPERIMENTS.namespace));
        Scope versionsOf = Scope.of(and(Tables.PIPELINE_VERSIONS.pipelineId, isEqualTo("pipeline-00007")),
                and(Tables.PIPELINE_VERSIONS.status, isEqualTo("READY")));

        // runs and recurring runs: the statements write their scope (q.scope)
        Scope inNs3 = written(ResourceType.NAMESPACE, "ns3");
        Scope ofExperiment7 = written(ResourceType.EXPERIMENT, "experiment-00007");
        Map<ResourceType, org.mybatis.dynamic.sql.BindableColumn<String>> taskColumns = Map.of(
                ResourceType.RUN, Tables.TASKS.runUuid, ResourceType.PIPELINE, Tables.TASKS.pipelineName);
        Scope tasksOfRun = Scope.of(FilterContext.of(ResourceType.RUN, "run-00007"), taskColumns);
        Scope tasksOfPipeline = Scope.of(FilterContext.of(ResourceType.PIPELINE, "pipeline/p7"), taskColumns);

        record Case(String statement, ListModel model, String sort, Scope scope) { }
        List<Case> cases = List.of(
                new Case("ExperimentMapper.selectExperimentPage", ListModels.EXPERIMENTS, "created_at", Scope.NONE),
                new Case("ExperimentMapper.selectExperimentPage", ListModels.EXPERIMENTS, "created_at", experimentsIn),
                new Case("ExperimentMapper.selectExperimentPage", ListModels.EXPERIMENTS, "name", experimentsIn),
                new Case("PipelineMapper.selectPipelinePage", ListModels.PIPELINES, "created_at", ready),
                new Case("PipelineMapper.selectPipelinePage", ListModels.PIPELINES, "created_at", readyIn),
                new Case("PipelineMapper.selectPipelinePage", ListModels.PIPELINES, "name", readyIn),
                new Case("PipelineMapper.selectPipelinePage", ListModels.PIPELINES, "display_name", readyIn),
                new Case("PipelineMapper.selectVersionPage", ListModels.PIPELINE_VERSIONS, "created_at", versionsOf),
                new Case("PipelineMapper.selectVersionPage", ListModels.PIPELINE_VERSIONS, "name", versionsOf),
                new Case("PipelineMapper.selectVersionPage", ListModels.PIPELINE_VERSIONS, "display_name", versionsOf),
                new Case("RunMapper.selectRunPage", ListModels.RUNS, "created_at", written(null, null)),
                new Case("RunMapper.selectRunPage", ListModels.RUNS, "created_at", inNs3),
                new Case("RunMapper.selectRunPage", ListModels.RUNS, "created_at", ofExperiment7),
                new Case("JobMapper.selectJobPage", ListModels.JOBS, "created_at", written(null, null)),
                new Case("JobMapper.selectJobPage", ListModels.JOBS, "created_at", inNs3),
                new Case("JobMapper.selectJobPage", ListModels.JOBS, "created_at", ofExperiment7),
                new Case("TaskMapper.selectTaskPage", ListModels.TASKS, "created_at", tasksOfRun),
                new Case("TaskMapper.selectTaskPage", ListModels.TASKS, "created_at", tasksOfPipeline));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            for (String dir : List.of(" asc", " desc")) {
                check(db, mybatis, c.statement(), engine.query(c.model(), sort(c.sort() + dir), c.scope()), failures);
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * The v2 driver's cache lookup (fingerprint, pipeline name and namespace equal, newest first,
     * one task) and its count read migration 47's index, not the table: the plan names
     * {@code task_cache_lookup_index} and has no full scan. A sort of the few rows one fingerprint
     * selects is allowed, so check's own verdict (no sort at all) is not the one asserted here.
     */
    @OnEachDatabase
    void cacheLookupReadsTheFingerprintIndex(TestDatabase db) throws SQLException {
        fill(db);
        Configuration mybatis = catalog(db);
        ListQuery lookup = new ListEngine(db.dialect()).query(ListModels.TASKS, ListOptions.firstPage(1)
                .withSortBy("created_at desc").withFilter("{\"predicates\":["
                        + "{\"op\":\"EQUALS\",\"key\":\"fingerprint\",\"stringValue\":\"fingerprint-0007\"},"
                        + "{\"op\":\"EQUALS\",\"key\":\"pipelineName\",\"stringValue\":\"pipeline/p7\"},"
                        + "{\"op\":\"EQUALS\",\"key\":\"namespace\",\"stringValue\":\"\"}]}"), Scope.NONE);
        for (String statement : List.of("TaskMapper.selectTaskPage", "TaskMapper.countTasks")) {
            String plan = check(db, mybatis, statement, lookup, new ArrayList<>());
            assertThat(plan.toLowerCase(java.util.Locale.ROOT)).as(plan).contains("task_cache_lookup_index");
            assertThat(plan).as(plan).doesNotContain("Seq Scan").doesNotContain("type=ALL").doesNotContain("tableScan");
        }
    }

    private static final String METRIC_INDEX = "idx_run_metrics_name_numbervalue_runuuid";
    private static final String NOT_ARCHIVED =
            "{\"predicates\":[{\"key\":\"storage_state\",\"operation\":\"NOT_EQUALS\",\"string_value\":\"ARCHIVED\"}]}";

    /**
     * A metric sort over a large list walks migration 42's index in list order (first page and a
     * page after a token, both directions, UI filter): MySQL/MariaDB and PostgreSQL name the index,
     * sort nothing and scan no table (MySQL: the derived table is merged, not materialised).
     * And the keyset cursor is a range on the sort column: a deep created_at page's index scan
     * starts at the cursor (PostgreSQL: the Index Cond holds "CreatedAtInSec"; MySQL: a range
     * scan of the list index), instead of reading every entry before it.
     */
    @OnEachDatabase
    void metricSortWalksItsIndexAndDeepPagesStartAtTheCursor(TestDatabase db) throws SQLException {
        fill(db);
        Configuration mybatis = catalog(db);
        ListEngine engine = new ListEngine(db.dialect());
        Scope runsIn = written(ResourceType.NAMESPACE, "ns3");
        Scope runsOf = written(ResourceType.EXPERIMENT, "experiment-00007");
        List<String> failures = new ArrayList<>();
        boolean explained = false;
        for (Scope scope : List.of(written(null, null), runsIn)) {
            for (String dir : List.of(" asc", " desc")) {
                ListOptions first = ListOptions.firstPage(20).withSortBy("metric:accuracy" + dir).withFilter(NOT_ARCHIVED);
                ListQuery q = engine.query(kfp.store.mybatis.MyBatisRunStore.RUNS, first, scope);
                ListQuery deep = engine.query(kfp.store.mybatis.MyBatisRunStore.RUNS, ListOptions.firstPage(20)
                        .withPageToken(q.tokenAfter(new PageRow("run-05000", 0.5))), scope);
                for (ListQuery page : List.of(q, deep)) {
                    String plan = check(db, mybatis, "RunMapper.selectRunPageByMetric", page, failures);
                    if (!db.databaseId().equals("h2")) {
                        explained = true;
                        if (!plan.contains(METRIC_INDEX) || plan.contains("DERIVED")
                                || (page == deep && !startsAtCursor(db, plan, "NumberValue"))) {
                            failures.add("metric index walk " + page.getGroups().getValuesCursor() + "\n" + plan);
                        }
                    }
                }
            }
        }
        for (Scope scope : List.of(runsOf, runsIn)) {
            for (String dir : List.of(" asc", " desc")) {
                ListQuery q = engine.query(ListModels.RUNS, sort("created_at" + dir), scope);
                ListQuery deep = engine.query(ListModels.RUNS, ListOptions.firstPage(20)
                        .withPageToken(q.tokenAfter(new PageRow("run-05000", 500L))), scope);
                String plan = check(db, mybatis, "RunMapper.selectRunPage", deep, failures);
                if (!startsAtCursor(db, plan, "CreatedAtInSec")) {
                    failures.add("deep page does not start at its cursor: " + deep.getCursorWhere() + "\n" + plan);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(explained).isEqualTo(!db.databaseId().equals("h2"));
    }

    /**
     * Whether the (first) index scan of the plan is a range from the cursor on the sort column
     * (PostgreSQL: in its Index Cond; MySQL: a range scan). H2 is not checked.
     */
    private static boolean startsAtCursor(TestDatabase db, String plan, String sortColumn) {
        return switch (db.databaseId()) {
            case "mysql" -> plan.lines().findFirst().orElse("").contains("type=range");
            case "postgresql" -> plan.matches("(?s).*Index Cond: [^\n]*\"" + sortColumn + "\" [<>]=.*");
            default -> true;
        };
    }

    /** The scope of a run or recurring-run list (none for a null type), as those statements write it. */
    private static Scope written(ResourceType type, String id) {
        return Scope.writtenBy(ContextScope.of(type == null ? FilterContext.NONE : FilterContext.of(type, id)));
    }

    private static ListOptions sort(String sortBy) {
        return ListOptions.firstPage(20).withSortBy(sortBy);
    }

    /** EXPLAINs the statement bound with q; a plan that scans or sorts the table is a failure. Returns the plan. */
    private static String check(TestDatabase db, Configuration mybatis, String statement, ListQuery q, List<String> failures)
            throws SQLException {
        String id = "kfp.store.mybatis.mapper." + statement;
        Map<String, Object> parameter = new java.util.HashMap<>(Map.of("q", q));
        BoundSql bound = mybatis.getMappedStatement(id).getBoundSql(parameter);
        MetaObject meta = mybatis.newMetaObject(parameter);
        String plan;
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN " + bound.getSql())) {
            int i = 1;
            for (ParameterMapping m : bound.getParameterMappings()) {
                String p = m.getProperty();
                ps.setObject(i++, bound.hasAdditionalParameter(p) ? bound.getAdditionalParameter(p) : meta.getValue(p));
            }
            plan = readPlan(db, ps);
        }
        boolean bad = switch (db.databaseId()) {
            case "mysql" -> plan.contains("Using filesort") || plan.contains("type=ALL");
            case "postgresql" -> plan.contains("Seq Scan") || plan.matches("(?s).*\\bSort\\b.*");
            default -> plan.contains("tableScan");
        };
        if (bad) {
            failures.add(statement + " " + q.getScope() + "\n" + bound.getSql() + "\n" + plan);
        }
        return plan;
    }


    private static String readPlan(TestDatabase db, PreparedStatement ps) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    b.append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getString(i)).append(' ');
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** The mlpipeline statements as MyBatis parses them for this database. */
    private static Configuration catalog(TestDatabase db) {
        Configuration mybatis = new Configuration();
        mybatis.setDatabaseId(db.databaseId());
        MapperCatalog.load(mybatis, MapperCatalog.MLPIPELINE);
        return mybatis;
    }

    /** 10,000 rows per table (run_metrics: 25,000) in multi-row INSERTs; statistics refreshed so the planners see them. */
    private static void fill(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            insert(c, "experiments", "(\"UUID\", \"Name\", \"Description\", \"CreatedAtInSec\", \"LastRunCreatedAtInSec\","
                    + " \"Namespace\", \"StorageState\")", 7, i -> List.of(String.format("experiment-%05d", i),
                    "Experiment " + i, "", (long) (i % 977), 0L, "ns" + (i % 10), "AVAILABLE"));
            insert(c, "pipelines", "(\"UUID\", \"CreatedAtInSec\", \"Name\", \"DisplayName\", \"Description\", \"Status\","
                    + " \"Namespace\")", 7, i -> List.of(String.format("pipeline-%05d", i), (long) (i % 977),
                    "Pipeline " + i, "", "", i % 50 == 0 ? "CREATING" : "READY", "ns" + (i % 10)));
            insert(c, "pipeline_versions", "(\"UUID\", \"CreatedAtInSec\", \"Name\", \"DisplayName\", \"Parameters\","
                    + " \"PipelineId\", \"Status\", \"PipelineSpec\", \"PipelineSpecURI\")", 9,
                    i -> List.of(String.format("version-%05d", i), (long) (i % 977), "Version " + i, "", "",
                            String.format("pipeline-%05d", i % 20), "READY", "spec", ""));
            insert(c, "run_details", "(\"UUID\", \"DisplayName\", \"Name\", \"Description\", \"Namespace\","
                    + " \"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\","
                    + " \"CreatedAtInSec\", \"Conditions\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\")", 14,
                    i -> List.of(String.format("run-%05d", i), "Run " + i, "", "", "ns" + (i % 10),
                            String.format("experiment-%05d", i % 20), "AVAILABLE", "", "", "", (long) (i % 977),
                            "Running", "", ""));
            insert(c, "jobs", "(\"UUID\", \"DisplayName\", \"Name\", \"Namespace\", \"ServiceAccount\", \"Description\","
                    + " \"MaxConcurrency\", \"NoCatchup\", \"CreatedAtInSec\", \"Enabled\", \"ExperimentUUID\","
                    + " \"PipelineId\", \"PipelineName\", \"Conditions\")", 14,
                    i -> List.of(String.format("job-%05d", i), "Job " + i, "", "ns" + (i % 10), "", "", 1L, false,
                            (long) (i % 977), true, String.format("experiment-%05d", i % 20), "", "", "ENABLED"));
            insert(c, "tasks", "(\"UUID\", \"Namespace\", \"PipelineName\", \"RunUUID\", \"PodName\","
                    + " \"MLMDExecutionID\", \"CreatedTimestamp\", \"Fingerprint\")", 8,
                    i -> List.of(String.format("task-%05d", i), "", "pipeline/p" + (i % 20),
                            String.format("run-%05d", i % 20), "pod-" + i, "", (long) (i % 977),
                            String.format("fingerprint-%04d", i % 2500)));
            // every run reports the metric, half of them from two nodes; and a metric of another name
            insert(c, "run_metrics", "(\"RunUUID\", \"NodeID\", \"Name\", \"NumberValue\", \"Payload\")", 5,
                    i -> List.of(String.format("run-%05d", i % ROWS), i < ROWS ? "node-a" : "node-b", "accuracy",
                            (i * 7919 % 1000) / 1000.0, "{}"), ROWS + ROWS / 2);
            insert(c, "run_metrics", "(\"RunUUID\", \"NodeID\", \"Name\", \"NumberValue\", \"Payload\")", 5,
                    i -> List.of(String.format("run-%05d", i), "node-a", "loss", (double) i, "{}"));
            try (Statement st = c.createStatement()) {
                switch (db.databaseId()) {
                    case "mysql" -> st.execute("ANALYZE TABLE experiments, pipelines, pipeline_versions, run_details, jobs, tasks, run_metrics");
                    case "postgresql" -> st.execute("ANALYZE experiments, pipelines, pipeline_versions, run_details, jobs, tasks, run_metrics");
                    default -> st.execute("ANALYZE");
                }
            }
        }
    }

    private static void insert(Connection c, String table, String columns, int width,
            java.util.function.IntFunction<List<Object>> row) throws SQLException {
        insert(c, table, columns, width, row, ROWS);
    }

    /** {@code rows} rows (a multiple of CHUNK), row i from {@code row.apply(i)}. */
    private static void insert(Connection c, String table, String columns, int width,
            java.util.function.IntFunction<List<Object>> row, int rows) throws SQLException {
        String values = "(" + "?,".repeat(width - 1) + "?)";
        String sql = "INSERT INTO " + table + " " + columns + " VALUES " + (values + ",").repeat(CHUNK - 1) + values;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int start = 0; start < rows; start += CHUNK) {
                int p = 1;
                for (int i = start; i < start + CHUNK; i++) {
                    for (Object v : row.apply(i)) {
                        ps.setObject(p++, v);
                    }
                }
                ps.executeUpdate();
            }
        }
    }
}
