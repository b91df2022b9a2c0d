package kfp.store.list;

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
import kfp.store.mybatis.MapperCatalog;
import kfp.store.mybatis.dynamic.Tables;
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
        Configuration mybatis = new Configuration();
        mybatis.setDatabaseId(db.databaseId());
        MapperCatalog.load(mybatis, MapperCatalog.MLPIPELINE);
        ListEngine engine = new ListEngine(db.dialect());

        Scope ready = Scope.of(and(Tables.PIPELINES.status, isEqualTo("READY")));
        Scope readyIn = Scope.of(FilterContext.of(ResourceType.NAMESPACE, "ns3"),
                Map.of(ResourceType.NAMESPACE, Tables.PIPELINES.namespace)).and(ready);
        Scope experimentsIn = Scope.of(FilterContext.of(ResourceType.NAMESPACE, "ns3"),
                Map.of(ResourceType.NAMESPACE, Tables.EXPERIMENTS.namespace));
        Scope versionsOf = Scope.of(and(Tables.PIPELINE_VERSIONS.pipelineId, isEqualTo("pipeline-00007")),
                and(Tables.PIPELINE_VERSIONS.status, isEqualTo("READY")));

        Map<ResourceType, org.mybatis.dynamic.sql.BindableColumn<String>> runColumns = Map.of(
                ResourceType.NAMESPACE, Tables.RUNS.namespace, ResourceType.EXPERIMENT, Tables.RUNS.experimentUuid);
        Scope runsIn = Scope.of(FilterContext.of(ResourceType.NAMESPACE, "ns3"), runColumns);
        Scope runsOf = Scope.of(FilterContext.of(ResourceType.EXPERIMENT, "experiment-00007"), runColumns);
        Map<ResourceType, org.mybatis.dynamic.sql.BindableColumn<String>> jobColumns = Map.of(
                ResourceType.NAMESPACE, Tables.JOBS.namespace, ResourceType.EXPERIMENT, Tables.JOBS.experimentUuid);
        Scope jobsIn = Scope.of(FilterContext.of(ResourceType.NAMESPACE, "ns3"), jobColumns);
        Scope jobsOf = Scope.of(FilterContext.of(ResourceType.EXPERIMENT, "experiment-00007"), jobColumns);
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
                new Case("RunMapper.selectRunPage", ListModels.RUNS, "created_at", Scope.NONE),
                new Case("RunMapper.selectRunPage", ListModels.RUNS, "created_at", runsIn),
                new Case("RunMapper.selectRunPage", ListModels.RUNS, "created_at", runsOf),
                new Case("JobMapper.selectJobPage", ListModels.JOBS, "created_at", Scope.NONE),
                new Case("JobMapper.selectJobPage", ListModels.JOBS, "created_at", jobsIn),
                new Case("JobMapper.selectJobPage", ListModels.JOBS, "created_at", jobsOf),
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

    private static ListOptions sort(String sortBy) {
        return ListOptions.firstPage(20).withSortBy(sortBy);
    }

    private static void check(TestDatabase db, Configuration mybatis, String statement, ListQuery q, List<String> failures)
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
            failures.add(statement + " " + q.getOrderBy() + " " + q.getPageWhere() + "\n" + plan);
        }
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

    /** 10,000 rows per table in multi-row INSERTs; statistics refreshed so the planners see them. */
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
                            String.format("run-%05d", i % 20), "pod-" + i, "", (long) (i % 977), ""));
            try (Statement st = c.createStatement()) {
                switch (db.databaseId()) {
                    case "mysql" -> st.execute("ANALYZE TABLE experiments, pipelines, pipeline_versions, run_details, jobs, tasks");
                    case "postgresql" -> st.execute("ANALYZE experiments, pipelines, pipeline_versions, run_details, jobs, tasks");
                    default -> st.execute("ANALYZE");
                }
            }
        }
    }

    private static void insert(Connection c, String table, String columns, int width,
            java.util.function.IntFunction<List<Object>> row) throws SQLException {
        String values = "(" + "?,".repeat(width - 1) + "?)";
        String sql = "INSERT INTO " + table + " " + columns + " VALUES " + (values + ",").repeat(CHUNK - 1) + values;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int start = 0; start < ROWS; start += CHUNK) {
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
