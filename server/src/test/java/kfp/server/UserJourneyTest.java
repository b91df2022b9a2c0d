package kfp.server;

import static kfp.server.testing.SwaggerValidator.V2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.server.proto.v1beta1.ReportRunMetricsRequest;
import kfp.server.proto.v1beta1.ReportRunMetricsResponse;
import kfp.server.proto.v1beta1.ReportRunMetricsResponse.ReportRunMetricResult;
import kfp.server.proto.v1beta1.ReportServiceGrpc.ReportServiceBlockingStub;
import kfp.server.proto.v1beta1.ReportWorkflowRequest;
import kfp.server.proto.v1beta1.RunMetric;
import kfp.server.proto.v2beta1.CreateRunRequest;
import kfp.server.proto.v2beta1.PipelineVersionReference;
import kfp.server.proto.v2beta1.Run;
import kfp.server.proto.v2beta1.RunServiceGrpc.RunServiceBlockingStub;
import kfp.server.testing.ApiTestServer;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * KFP's user journey, each step sent the way its real caller sends it: the UI and the SDK over
 * HTTP/JSON (upload, experiment, run, lists, recurring run, archive, delete), the persistence agent
 * over gRPC (workflow reports, a retried final report, run metrics with a NaN from Python), and
 * the scheduled-workflow controller over gRPC (the run a recurring run starts, created twice).
 * Every JSON body is checked against KFP's swagger.
 */
@StoreTest
class UserJourneyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A compiled KFP v2 pipeline as the SDK writes it (trimmed to what the server reads). */
    private static final String PIPELINE_YAML = """
            # PIPELINE DEFINITION
            # Name: journey
            components:
              comp-train:
                executorLabel: exec-train
            deploymentSpec:
              executors:
                exec-train:
                  container:
                    image: python:3.11
                    command: [python, -c, print(1)]
            pipelineInfo:
              name: journey
            root:
              dag:
                tasks:
                  train:
                    componentRef:
                      name: comp-train
                    taskInfo:
                      name: train
              inputDefinitions:
                parameters:
                  lr:
                    parameterType: NUMBER_DOUBLE
            schemaVersion: 2.1.0
            sdkVersion: kfp-2.7.0
            """;

    @OnEachDatabase
    void uploadExperimentRunReportListScheduleArchiveDelete(TestDatabase db) throws Exception {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            // the UI uploads a compiled pipeline: a pipeline and its first version
            JsonNode pipeline = upload(api, "/apis/v2beta1/pipelines/upload?name=journey&description=e2e",
                    "journey.yaml", PIPELINE_YAML).ok(V2, "v2beta1Pipeline", "pipeline_id", "display_name");
            String pipelineId = pipeline.get("pipeline_id").asText();
            JsonNode versions = api.get("/apis/v2beta1/pipelines/" + pipelineId + "/versions")
                    .ok(V2, "v2beta1ListPipelineVersionsResponse", "pipeline_versions", "total_size");
            assertThat(versions.get("total_size").asInt()).isEqualTo(1);
            String versionId = versions.at("/pipeline_versions/0/pipeline_version_id").asText();
            assertThat(versions.at("/pipeline_versions/0/pipeline_spec/pipelineInfo/name").asText()).isEqualTo("journey");

            String experimentId = api.post("/apis/v2beta1/experiments", "{\"display_name\":\"journey\"}")
                    .ok(V2, "v2beta1Experiment", "experiment_id").get("experiment_id").asText();

            // three runs from the version, as the UI creates them (camelCase, as its generated client sends)
            List<String> runs = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                JsonNode run = api.post("/apis/v2beta1/runs", "{\"displayName\":\"run-" + i + "\",\"experimentId\":\""
                                + experimentId + "\",\"pipelineVersionReference\":{\"pipelineId\":\"" + pipelineId
                                + "\",\"pipelineVersionId\":\"" + versionId + "\"},\"runtimeConfig\":{\"parameters\":{\"lr\":0.1}}}")
                        .ok(V2, "v2beta1Run", "run_id", "display_name", "experiment_id", "pipeline_version_reference",
                                "runtime_config", "state", "created_at");
                assertThat(run.get("state").asText()).isEqualTo("PENDING");
                assertThat(run.has("pipeline_spec")).as("a run from a version carries the reference, not the spec").isFalse();
                runs.add(run.get("run_id").asText());
            }

            // the persistence agent reports each run's workflow over gRPC: running, then its end
            ReportServiceBlockingStub agent = api.grpc(ReportServiceBlockingStub.class);
            for (int i = 0; i < 3; i++) {
                agent.reportWorkflowV1(report(workflow(runs.get(i), "Running", false)));
                String end = i < 2 ? "Succeeded" : "Failed";
                ReportWorkflowRequest last = report(workflow(runs.get(i), end, true));
                agent.reportWorkflowV1(last);
                agent.reportWorkflowV1(last); // a retried final report changes nothing
            }
            JsonNode done = api.get("/apis/v2beta1/runs/" + runs.get(0))
                    .ok(V2, "v2beta1Run", "run_id", "state", "finished_at", "state_history", "run_details");
            assertThat(done.get("state").asText()).isEqualTo("SUCCEEDED");
            List<String> history = new ArrayList<>();
            done.get("state_history").forEach(h -> history.add(h.get("state").asText()));
            assertThat(history).containsExactly("PENDING", "RUNNING", "SUCCEEDED");
            List<String> tasks = new ArrayList<>();
            done.at("/run_details/task_details").forEach(t -> tasks.add(t.get("display_name").asText()));
            assertThat(tasks).contains("train", "evaluate");

            // run metrics from the persistence agent: results in input order, Python's NaN refused alone
            RunServiceV1Stub metrics = new RunServiceV1Stub(api);
            double[] accuracy = {0.91, 0.85, 0.5};
            for (int i = 0; i < 3; i++) {
                ReportRunMetricsResponse r = metrics.report(runs.get(i), Map.of("accuracy", accuracy[i], "loss", Double.NaN));
                assertThat(r.getResultsList()).extracting(ReportRunMetricResult::getStatus).containsExactly(
                        ReportRunMetricResult.Status.OK, ReportRunMetricResult.Status.INVALID_ARGUMENT);
            }
            assertThat(metrics.report(runs.get(0), Map.of("accuracy", 0.2)).getResults(0).getStatus())
                    .as("first report wins").isEqualTo(ReportRunMetricResult.Status.DUPLICATE_REPORTING);

            // the UI lists the experiment's succeeded runs, best accuracy first, one per page
            String filter = enc("{\"predicates\":[{\"key\":\"state\",\"operation\":\"EQUALS\",\"string_value\":\"SUCCEEDED\"}]}");
            List<String> listed = new ArrayList<>();
            String token = "";
            do {
                JsonNode page = api.get("/apis/v2beta1/runs?experiment_id=" + experimentId + "&page_size=1&filter=" + filter
                                + "&sort_by=" + enc("metric:accuracy desc") + (token.isEmpty() ? "" : "&page_token=" + enc(token)))
                        .ok(V2, "v2beta1ListRunsResponse", "runs", "total_size");
                assertThat(page.get("total_size").asInt()).isEqualTo(2);
                page.get("runs").forEach(r -> listed.add(r.get("run_id").asText()));
                token = page.path("next_page_token").asText("");
            } while (!token.isEmpty());
            assertThat(listed).containsExactly(runs.get(0), runs.get(1));

            // a recurring run; the scheduled-workflow controller starts its run over gRPC, twice (a retry)
            JsonNode recurring = api.post("/apis/v2beta1/recurringruns", "{\"display_name\":\"nightly\",\"experiment_id\":\""
                            + experimentId + "\",\"pipeline_version_reference\":{\"pipeline_id\":\"" + pipelineId + "\"},"
                            + "\"trigger\":{\"cron_schedule\":{\"cron\":\"0 0 3 * * *\"}},\"max_concurrency\":\"1\",\"mode\":\"ENABLE\"}")
                    .ok(V2, "v2beta1RecurringRun", "recurring_run_id", "display_name", "trigger", "mode");
            String recurringId = recurring.get("recurring_run_id").asText();
            RunServiceBlockingStub controller = api.grpc(RunServiceBlockingStub.class);
            CreateRunRequest scheduled = CreateRunRequest.newBuilder().setRun(Run.newBuilder()
                    .setDisplayName("nightly-20261205030000")
                    .setExperimentId(experimentId)
                    .setRecurringRunId(recurringId)
                    .setPipelineVersionReference(PipelineVersionReference.newBuilder().setPipelineId(pipelineId)))
                    .build();
            Run first = controller.createRun(scheduled);
            Run again = controller.createRun(scheduled);
            assertThat(again.getRunId()).isEqualTo(first.getRunId());
            assertThat(first.getRecurringRunId()).isEqualTo(recurringId);
            agent.reportWorkflowV1(report(workflow(first.getRunId(), "Succeeded", true)));
            JsonNode scheduledRun = api.get("/apis/v2beta1/runs/" + first.getRunId())
                    .ok(V2, "v2beta1Run", "run_id", "recurring_run_id", "state", "pipeline_version_reference");
            assertThat(scheduledRun.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(scheduledRun.at("/pipeline_version_reference/pipeline_version_id").asText())
                    .as("no version given: the latest one").isEqualTo(versionId);
            assertThat(api.get("/apis/v2beta1/runs?experiment_id=" + experimentId)
                    .ok(V2, "v2beta1ListRunsResponse", "runs", "total_size").get("total_size").asInt()).isEqualTo(4);

            // archiving the experiment archives its runs and disables its recurring run
            api.post("/apis/v2beta1/experiments/" + experimentId + ":archive", null).empty(V2);
            for (String id : List.of(runs.get(0), first.getRunId())) {
                assertThat(api.get("/apis/v2beta1/runs/" + id).ok(V2, "v2beta1Run").get("storage_state").asText())
                        .isEqualTo("ARCHIVED");
            }
            assertThat(api.get("/apis/v2beta1/recurringruns/" + recurringId).ok(V2, "v2beta1RecurringRun")
                    .get("mode").asText()).isEqualTo("DISABLE");
            api.post("/apis/v2beta1/runs/" + runs.get(0) + ":unarchive", null).error(V2, 400, 9); // its experiment is archived

            // delete everything the journey made
            api.delete("/apis/v2beta1/recurringruns/" + recurringId).empty(V2);
            for (String id : runs) {
                api.delete("/apis/v2beta1/runs/" + id).empty(V2);
            }
            api.delete("/apis/v2beta1/runs/" + first.getRunId()).empty(V2);
            api.delete("/apis/v2beta1/experiments/" + experimentId).empty(V2);
            api.delete("/apis/v2beta1/pipelines/" + pipelineId + "/versions/" + versionId).empty(V2);
            api.delete("/apis/v2beta1/pipelines/" + pipelineId).empty(V2);
            api.get("/apis/v2beta1/runs/" + runs.get(0)).error(V2, 404, 5);
            api.get("/apis/v2beta1/pipelines/" + pipelineId).error(V2, 404, 5);
            assertThat(db.count("run_details")).isZero();
            assertThat(db.count("run_metrics")).isZero();
            assertThat(db.count("jobs")).isZero();
        }
    }

    /** An Argo Workflow as the persistence agent serialises it: a root DAG and two pods. */
    private static String workflow(String runId, String phase, boolean finished) throws Exception {
        String name = "journey-" + runId.substring(0, 8);
        ObjectNode wf = JSON.createObjectNode();
        wf.put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Workflow");
        ObjectNode meta = wf.putObject("metadata");
        meta.put("name", name).put("namespace", "kubeflow").put("uid", "uid-" + runId)
                .put("creationTimestamp", "2026-12-05T03:00:00Z").put("resourceVersion", finished ? "20" : "10");
        meta.putObject("labels").put("pipeline/runid", runId).put("workflows.argoproj.io/phase", phase);
        wf.putObject("spec").put("entrypoint", "entrypoint").put("serviceAccountName", "pipeline-runner");
        ObjectNode status = wf.putObject("status");
        status.put("phase", phase).put("startedAt", "2026-12-05T03:00:01Z");
        if (finished) {
            status.put("finishedAt", "2026-12-05T03:05:00Z");
        }
        ObjectNode nodes = status.putObject("nodes");
        node(nodes, name, name, "DAG", phase, finished);
        node(nodes, name + "-1111", "train", "Pod", finished ? "Succeeded" : "Running", finished);
        node(nodes, name + "-2222", "evaluate", "Pod", finished ? phase : "Pending", finished);
        return JSON.writeValueAsString(wf);
    }

    private static void node(ObjectNode nodes, String id, String displayName, String type, String phase, boolean finished) {
        ObjectNode n = nodes.putObject(id);
        n.put("id", id).put("name", id).put("displayName", displayName).put("type", type).put("phase", phase)
                .put("startedAt", "2026-12-05T03:00:02Z");
        if (finished) {
            n.put("finishedAt", "2026-12-05T03:04:59Z");
        }
    }

    private static ReportWorkflowRequest report(String workflowJson) {
        return ReportWorkflowRequest.newBuilder().setWorkflow(workflowJson).build();
    }

    /** The persistence agent's metric reports (one node, metrics in the given order). */
    private record RunServiceV1Stub(ApiTestServer api) {
        ReportRunMetricsResponse report(String runId, Map<String, Double> values) {
            ReportRunMetricsRequest.Builder r = ReportRunMetricsRequest.newBuilder().setRunId(runId);
            values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> r.addMetrics(RunMetric.newBuilder()
                    .setName(e.getKey()).setNodeId("journey-node").setNumberValue(e.getValue())
                    .setFormat(RunMetric.Format.RAW)));
            return api.grpc(kfp.server.proto.v1beta1.RunServiceGrpc.RunServiceBlockingStub.class).reportRunMetricsV1(r.build());
        }
    }

    /** A multipart/form-data upload with the file in field {@code uploadfile}, as the UI and the SDK send it. */
    private static ApiTestServer.Response upload(ApiTestServer api, String path, String fileName, String content) {
        String boundary = "----kfp-journey-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"uploadfile\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + content + "\r\n--" + boundary + "--\r\n";
        return api.send("POST", path, body, "multipart/form-data; boundary=" + boundary);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
