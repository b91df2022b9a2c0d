package kfp.store.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kfp.store.Schema;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.api.Task;
import kfp.store.api.TaskStore;
import kfp.store.mybatis.KfpJson;

/**
 * Not a test (no load tests in the suite): compares ListRuns as built here (page of ids by key,
 * then wide columns and children read by key and assembled in Java) with KFP's "shape C"
 * (spec/storage.md §3.4: page of ids, then three LEFT JOIN + GROUP BY layers that aggregate the
 * children's JSON payloads with GROUP_CONCAT / string_agg / LISTAGG, then JSON parsing). Both read
 * the same page of one experiment's runs (created_at desc) and its total_size.
 *
 * <pre>mvn -B -q -pl store test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * . .ci/test-databases.env && java -cp store/target/test-classes:store/target/classes:$(cat cp.txt) \
 *     kfp.store.testing.ListRunsBenchmark</pre>
 */
public final class ListRunsBenchmark {

    private static final int RUNS = 500;
    private static final int TASKS_PER_RUN = 20;
    private static final int METRICS_PER_RUN = 10;
    private static final int ROUNDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        System.out.println("| database | page size | Java assembly (ms, median) | KFP aggregate (ms, median) |");
        System.out.println("|---|---|---|---|");
        for (Backend backend : Backend.values()) {
            if (backend != Backend.H2 && DatabaseServers.server(backend) == null) {
                System.out.println("| " + backend.id() + " | skipped: " + DatabaseServers.whyMissing(backend) + " |");
                continue;
            }
            try (TestDatabase db = new TestDatabase(backend, "ListRunsBenchmark", new Schema[] {Schema.MLPIPELINE})) {
                fill(db);
                for (int pageSize : new int[] {20, 200}) {
                    long[] ours = new long[ROUNDS];
                    long[] kfp = new long[ROUNDS];
                    for (int i = -5; i < ROUNDS; i++) { // 5 warm-up rounds
                        long t0 = System.nanoTime();
                        int a = javaAssembly(db, pageSize);
                        long t1 = System.nanoTime();
                        int b = kfpAggregate(db, pageSize);
                        long t2 = System.nanoTime();
                        if (a != b) {
                            throw new IllegalStateException("different child counts: " + a + " vs " + b);
                        }
                        if (i >= 0) {
                            ours[i] = t1 - t0;
                            kfp[i] = t2 - t1;
                        }
                    }
                    System.out.printf("| %s | %d | %.1f | %.1f |%n", backend.id(), pageSize, median(ours), median(kfp));
                }
            }
        }
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    /** The store's ListRuns; returns the number of child rows read, to check both read the same. */
    private static int javaAssembly(TestDatabase db, int pageSize) {
        ListResult<Run> page = db.get(RunStore.class).listRuns(FilterContext.of(ResourceType.EXPERIMENT, "exp"),
                ListOptions.firstPage(pageSize).withSortBy("created_at desc"));
        return page.items().stream().mapToInt(r -> r.tasks.size() + r.metrics.size() + r.resourceReferences.size()).sum();
    }

    private static int kfpAggregate(TestDatabase db, int pageSize) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT \"UUID\" FROM run_details WHERE \"ExperimentUUID\" = ?"
                    + " ORDER BY \"CreatedAtInSec\" DESC, \"UUID\" DESC LIMIT ?")) {
                ps.setString(1, "exp");
                ps.setInt(2, pageSize + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            ids = ids.subList(0, Math.min(pageSize, ids.size()));
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM run_details WHERE \"ExperimentUUID\" = ?")) {
                ps.setString(1, "exp");
                ps.executeQuery().close();
            }
            String agg = switch (db.databaseId()) {
                case "mysql" -> "CONCAT('[', COALESCE(GROUP_CONCAT(%s SEPARATOR ','), ''), ']')";
                case "postgresql" -> "'[' || COALESCE(string_agg(%s, ','), '') || ']'";
                default -> "'[' || COALESCE(LISTAGG(%s, ','), '') || ']'";
            };
            String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
            String sql = "SELECT rd.*, agg.refs, agg.task_details, agg.metrics FROM run_details rd JOIN ("
                    + " SELECT subq.\"UUID\", subq.refs, subq.task_details, " + agg.formatted("rm.\"Payload\"") + " AS metrics FROM ("
                    + "  SELECT rdref.\"UUID\", rdref.refs, " + agg.formatted("t.\"Payload\"") + " AS task_details FROM ("
                    + "   SELECT f.\"UUID\", " + agg.formatted("rr.\"Payload\"") + " AS refs"
                    + "     FROM (SELECT \"UUID\" FROM run_details WHERE \"UUID\" IN (" + in + ")) f"
                    + "     LEFT JOIN resource_references rr ON rr.\"ResourceType\" = 'Run' AND f.\"UUID\" = rr.\"ResourceUUID\""
                    + "    GROUP BY f.\"UUID\") rdref"
                    + "   LEFT JOIN tasks t ON rdref.\"UUID\" = t.\"RunUUID\" GROUP BY rdref.\"UUID\", rdref.refs) subq"
                    + "  LEFT JOIN run_metrics rm ON subq.\"UUID\" = rm.\"RunUUID\""
                    + " GROUP BY subq.\"UUID\", subq.refs, subq.task_details) agg ON agg.\"UUID\" = rd.\"UUID\""
                    + " ORDER BY rd.\"CreatedAtInSec\" DESC, rd.\"UUID\" DESC";
            int children = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setString(i + 1, ids.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n - 3; i++) {
                            rs.getObject(i);
                        }
                        for (int i = n - 2; i <= n; i++) {
                            JsonNode array = JSON.readTree(rs.getString(i));
                            children += array.size();
                        }
                    }
                }
            }
            c.commit();
            return children;
        }
    }

    private static void fill(TestDatabase db) throws Exception {
        db.update("INSERT INTO experiments (\"UUID\", \"Name\", \"Description\", \"CreatedAtInSec\", "
                + "\"LastRunCreatedAtInSec\", \"Namespace\", \"StorageState\") VALUES ('exp', 'exp', '', 0, 0, 'ns', 'AVAILABLE')");
        RunStore runs = db.get(RunStore.class);
        TaskStore tasks = db.get(TaskStore.class);
        String manifest = "{\"spec\":\"" + "m".repeat(20_000) + "\"}"; // wide columns, as real runs have
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement metric = c.prepareStatement("INSERT INTO run_metrics (\"RunUUID\", \"NodeID\", \"Name\", "
                     + "\"NumberValue\", \"Format\", \"Payload\") VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int r = 0; r < RUNS; r++) {
                Run run = new Run();
                run.uuid = String.format("run-%05d", r);
                run.experimentId = "exp";
                run.namespace = "ns";
                run.displayName = "run " + r;
                run.createdAtInSec = r;
                run.state = "SUCCEEDED";
                run.pipelineSpecManifest = manifest;
                run.workflowRuntimeManifest = manifest;
                runs.createRun(run);
                List<Task> batch = new ArrayList<>();
                for (int t = 0; t < TASKS_PER_RUN; t++) {
                    Task task = new Task();
                    task.podName = "pod-" + t;
                    task.mlmdOutputs = "o".repeat(1000);
                    batch.add(task);
                }
                tasks.createOrUpdateTasks(run.uuid, batch);
                for (int m = 0; m < METRICS_PER_RUN; m++) {
                    RunMetric rm = new RunMetric(run.uuid, "node", "metric-" + m, (double) m, "RAW");
                    metric.setString(1, rm.runId);
                    metric.setString(2, rm.nodeId);
                    metric.setString(3, rm.name);
                    metric.setDouble(4, rm.numberValue);
                    metric.setString(5, rm.format);
                    metric.setString(6, KfpJson.metricPayload(rm));
                    metric.addBatch();
                }
                metric.executeBatch();
            }
        }
    }
}
