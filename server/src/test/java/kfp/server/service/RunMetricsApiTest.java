package kfp.server.service;

import static kfp.server.testing.SwaggerValidator.V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import kfp.server.proto.v1beta1.ReportRunMetricsRequest;
import kfp.server.proto.v1beta1.ReportRunMetricsResponse;
import kfp.server.proto.v1beta1.ReportRunMetricsResponse.ReportRunMetricResult;
import kfp.server.proto.v1beta1.RunMetric;
import kfp.server.proto.v1beta1.RunServiceGrpc.RunServiceBlockingStub;
import kfp.server.testing.ApiTestServer;
import kfp.server.testing.RunRows;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * Run metrics as the persistence agent reports them ({@code api.RunService/ReportRunMetricsV1},
 * and its REST route): one result per metric in input order, the first report of a metric kept.
 */
@StoreTest
class RunMetricsApiTest {

    @OnEachDatabase
    void overGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            RunRows.pending(db, "run-1", "wf-1");
            RunServiceBlockingStub grpc = api.grpc(RunServiceBlockingStub.class);
            ReportRunMetricsResponse first = grpc.reportRunMetricsV1(ReportRunMetricsRequest.newBuilder().setRunId("run-1")
                    .addMetrics(metric("accuracy", "node-1", 0.91, RunMetric.Format.PERCENTAGE))
                    .addMetrics(metric("1bad-name", "node-1", 1, RunMetric.Format.RAW))
                    .addMetrics(metric("loss", "node-1", Double.NaN, RunMetric.Format.RAW))          // Python's float('nan')
                    .addMetrics(metric("gain", "node-1", Double.POSITIVE_INFINITY, RunMetric.Format.RAW))
                    .addMetrics(metric("recall", "", 0.5, RunMetric.Format.RAW))                     // no node
                    .addMetrics(metric("recall", "n".repeat(129), 0.5, RunMetric.Format.RAW))
                    .addMetrics(metric("accuracy", "node-1", 0.5, RunMetric.Format.RAW))             // same metric again
                    .addMetrics(RunMetric.newBuilder().setName("count").setNodeId("node-2"))        // no value: 0
                    .build());
            assertThat(statuses(first)).containsExactly(ReportRunMetricResult.Status.OK,
                    ReportRunMetricResult.Status.INVALID_ARGUMENT, ReportRunMetricResult.Status.INVALID_ARGUMENT,
                    ReportRunMetricResult.Status.INVALID_ARGUMENT, ReportRunMetricResult.Status.INVALID_ARGUMENT,
                    ReportRunMetricResult.Status.INVALID_ARGUMENT, ReportRunMetricResult.Status.DUPLICATE_REPORTING,
                    ReportRunMetricResult.Status.OK);
            assertThat(first.getResults(1).getMetricName()).isEqualTo("1bad-name");
            assertThat(first.getResults(1).getMessage()).contains("pattern");
            assertThat(first.getResults(2).getMessage()).contains("finite");
            assertThat(first.getResults(0).getMessage()).isEmpty();
            assertThat(first.getResults(6).getMetricNodeId()).isEqualTo("node-1");

            // the persistence agent reports every metric again on each sync: all duplicates, values kept
            ReportRunMetricsResponse again = grpc.reportRunMetricsV1(ReportRunMetricsRequest.newBuilder().setRunId("run-1")
                    .addMetrics(metric("accuracy", "node-1", 0.1, RunMetric.Format.RAW)).build());
            assertThat(statuses(again)).containsExactly(ReportRunMetricResult.Status.DUPLICATE_REPORTING);
            assertThat(db.query("SELECT \"Name\", \"NumberValue\", \"Format\" FROM run_metrics ORDER BY \"Name\""))
                    .extracting(row -> row.get(0) + "=" + ((Number) row.get(1)).doubleValue() + " " + row.get(2))
                    .containsExactly("accuracy=0.91 PERCENTAGE", "count=0.0 UNSPECIFIED");

            assertThat(code(() -> grpc.reportRunMetricsV1(ReportRunMetricsRequest.newBuilder().setRunId("no-such-run")
                    .addMetrics(metric("accuracy", "node-1", 1, RunMetric.Format.RAW)).build()))).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(code(() -> grpc.reportRunMetricsV1(ReportRunMetricsRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(db.count("run_metrics")).isEqualTo(2);
        }
    }

    @OnEachDatabase
    void overHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            RunRows.pending(db, "run-2", "wf-2");
            String path = "/apis/v1beta1/runs/run-2:reportMetrics";
            JsonNode answer = api.post(path, "{\"metrics\":[{\"name\":\"accuracy\",\"node_id\":\"n1\",\"number_value\":0.75,"
                            + "\"format\":\"PERCENTAGE\"},{\"name\":\"loss\",\"nodeId\":\"n1\",\"numberValue\":\"NaN\"},"
                            + "{\"name\":\"gain\",\"node_id\":\"n1\",\"number_value\":\"-Infinity\"},"
                            + "{\"name\":\"accuracy\",\"node_id\":\"n1\",\"number_value\":1}]}")
                    .ok(V1, "apiReportRunMetricsResponse", "results");
            List<String> statuses = new ArrayList<>();
            answer.get("results").forEach(r -> statuses.add(r.get("status").asText()));
            assertThat(statuses).containsExactly("OK", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "DUPLICATE_REPORTING");
            assertThat(answer.at("/results/1/metric_name").asText()).isEqualTo("loss");
            assertThat(answer.at("/results/1/metric_node_id").asText()).isEqualTo("n1");

            api.post("/apis/v1beta1/runs/no-such-run:reportMetrics", "{\"metrics\":[]}").error(V1, 404, 5);
            api.post(path, "{\"metrics\":[{\"name\":\"x\",\"number_value\":\"lots\"}]}").error(V1, 400, 3);
            api.post(path, "{\"metrics\":").error(V1, 400, 3);
            assertThat(db.count("run_metrics")).isEqualTo(1);
        }
    }

    private static RunMetric metric(String name, String node, double value, RunMetric.Format format) {
        return RunMetric.newBuilder().setName(name).setNodeId(node).setNumberValue(value).setFormat(format).build();
    }

    private static List<ReportRunMetricResult.Status> statuses(ReportRunMetricsResponse r) {
        return r.getResultsList().stream().map(ReportRunMetricResult::getStatus).toList();
    }

    private static Status.Code code(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
    }
}
