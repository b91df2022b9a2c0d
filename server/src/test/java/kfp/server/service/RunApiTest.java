package kfp.server.service;

import static kfp.server.testing.SwaggerValidator.V1;
import static kfp.server.testing.SwaggerValidator.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.server.proto.v2beta1.CreateRunRequest;
import kfp.server.proto.v2beta1.GetRunRequest;
import kfp.server.proto.v2beta1.ListRunsRequest;
import kfp.server.proto.v2beta1.ListRunsResponse;
import kfp.server.proto.v2beta1.PipelineVersionReference;
import kfp.server.proto.v2beta1.RunServiceGrpc.RunServiceBlockingStub;
import kfp.server.proto.v2beta1.RuntimeConfig;
import kfp.server.proto.v2beta1.RuntimeState;
import kfp.server.testing.ApiTestServer;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.Job;
import kfp.store.api.JobStore;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.api.Task;
import kfp.store.api.TaskStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * KFP's run API, v2beta1 and v1beta1, over HTTP/JSON and gRPC, on each database, with the
 * bodies KFP's callers send (the UI, the SDK, the v1 UI's references, the scheduled-workflow
 * controller). Pipelines, reports and metrics are written through the stores, as their own
 * services would. Every JSON body is checked against KFP's swagger.
 */
@StoreTest
class RunApiTest {

    private static final String V2_PATH = "/apis/v2beta1/runs";
    private static final String V1_PATH = "/apis/v1beta1/runs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = "{\"pipelineInfo\":{\"name\":\"hello\"},\"root\":{\"dag\":{\"tasks\":{}}},"
            + "\"schemaVersion\":\"2.1.0\",\"sdkVersion\":\"kfp-2.7.0\"}";

    /** A READY pipeline with two READY versions (the second is the latest); returns {pipeline, v1, v2}. */
    private static String[] pipeline(TestDatabase db, String name) {
        PipelineStore store = db.get(PipelineStore.class);
        Pipeline p = store.createPipeline(Pipeline.newPipeline(name, name, "", "", Map.of()));
        PipelineVersion first = store.createPipelineVersion(PipelineVersion.newVersion(p.uuid(), name + "-v1", name + "-v1", "",
                "pipelineInfo:\n  name: " + name + "\nschemaVersion: 2.1.0\n", "", "", Map.of()));
        PipelineVersion second = store.createPipelineVersion(PipelineVersion.newVersion(p.uuid(), name + "-v2", name + "-v2", "",
                "pipelineInfo:\n  name: " + name + "\nschemaVersion: 2.1.0\n", "", "", Map.of()));
        return new String[] {p.uuid(), first.uuid(), second.uuid()};
    }

    /** What the persistence agent's report leaves behind: a state, a workflow manifest, a task, a metric. */
    private static void report(TestDatabase db, String runId, String state, double accuracy) {
        Run report = new Run();
        report.uuid = runId;
        report.state = state;
        report.finishedAtInSec = RuntimeStates.isTerminal(state) ? 1_700_000_000L : 0;
        report.workflowRuntimeManifest = "{\"metadata\":{\"name\":\"wf-" + runId + "\"}}";
        db.get(RunStore.class).updateRun(report);
        Task t = new Task();
        t.runId = runId;
        t.podName = "pod-" + runId;
        t.name = "train";
        t.mlmdExecutionId = "7";
        t.state = state;
        t.mlmdInputs = "{\"dataset\":{\"artifact_ids\":[\"1\",\"2\"]}}";
        t.childrenPods = List.of("child-" + runId);
        db.get(TaskStore.class).createOrUpdateTasks(runId, List.of(t));
        db.get(RunStore.class).createMetric(new RunMetric(runId, "node-1", "accuracy", accuracy, "RAW"));
    }

    @OnEachDatabase
    void v2OverHttp(TestDatabase db) throws Exception {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "hello");
            String experiment = api.post("/apis/v2beta1/experiments", "{\"display_name\":\"nightly\"}")
                    .ok(V2, "v2beta1Experiment").get("experiment_id").asText();

            // the UI's create-run body: camelCase, a pinned version, runtime parameters
            JsonNode ui = api.post(V2_PATH, "{\"displayName\":\"ui run\",\"description\":\"from the UI\",\"experimentId\":\""
                    + experiment + "\",\"pipelineVersionReference\":{\"pipelineId\":\"" + p[0] + "\",\"pipelineVersionId\":\""
                    + p[1] + "\"},\"runtimeConfig\":{\"parameters\":{\"lr\":0.01,\"epochs\":3,\"name\":\"x\"}},\"serviceAccount\":\"\"}")
                    .ok(V2, "v2beta1Run", "experiment_id", "run_id", "display_name", "storage_state", "description",
                            "pipeline_version_reference", "runtime_config", "service_account", "created_at", "scheduled_at",
                            "finished_at", "state", "state_history");
            String uiRun = ui.get("run_id").asText();
            assertThat(ui.get("experiment_id").asText()).isEqualTo(experiment);
            assertThat(ui.get("state").asText()).isEqualTo("PENDING");
            assertThat(ui.get("storage_state").asText()).isEqualTo("AVAILABLE");
            assertThat(ui.get("service_account").asText()).isEqualTo("pipeline-runner");
            assertThat(ui.get("scheduled_at")).isEqualTo(ui.get("created_at"));
            assertThat(ui.get("finished_at").asText()).isEqualTo("1970-01-01T00:00:00Z");
            assertThat(ui.at("/pipeline_version_reference/pipeline_version_id").asText()).isEqualTo(p[1]);
            assertThat(ui.has("pipeline_spec")).as("a version reference, not the spec").isFalse();
            assertThat(ui.has("run_details")).as("omitted while empty").isFalse();
            assertThat(ui.at("/runtime_config/parameters/lr").asDouble()).isEqualTo(0.01);
            assertThat(ui.at("/runtime_config/parameters/epochs").asDouble()).isEqualTo(3);
            assertThat(ui.at("/runtime_config/parameters/name").asText()).isEqualTo("x");
            assertThat(ui.at("/state_history/0/state").asText()).isEqualTo("PENDING");
            assertThat(api.get("/apis/v2beta1/experiments/" + experiment).ok(V2, "v2beta1Experiment").get("last_run_created_at"))
                    .isEqualTo(ui.get("created_at"));

            // the SDK's create: an inline spec with a platform spec, runtime config, no experiment (the default one)
            String sdkBody = "{\"display_name\":\"sdk run\",\"pipeline_spec\":{\"pipeline_spec\":" + SPEC
                    + ",\"platform_spec\":{\"platforms\":{\"kubernetes\":{}}}},\"runtime_config\":{\"parameters\":{\"n\":1},"
                    + "\"pipeline_root\":\"minio://bucket/root\"}}";
            JsonNode sdk = api.post(V2_PATH, sdkBody).ok(V2, "v2beta1Run", "pipeline_spec", "runtime_config");
            String sdkRun = sdk.get("run_id").asText();
            assertThat(sdk.get("pipeline_spec")).isEqualTo(JSON.readTree(sdkBody).get("pipeline_spec"));
            assertThat(sdk.has("pipeline_version_reference")).isFalse();
            assertThat(sdk.at("/runtime_config/pipeline_root").asText()).isEqualTo("minio://bucket/root");
            assertThat(sdk.get("experiment_id").asText()).isEqualTo(
                    db.get(kfp.store.api.DefaultExperimentStore.class).getDefaultExperimentId());

            // a pipeline id alone runs its latest READY version
            JsonNode latest = api.post(V2_PATH, "{\"display_name\":\"latest\",\"experiment_id\":\"" + experiment
                    + "\",\"pipeline_version_reference\":{\"pipeline_id\":\"" + p[0] + "\"}}").ok(V2, "v2beta1Run");
            assertThat(latest.at("/pipeline_version_reference/pipeline_version_id").asText()).isEqualTo(p[2]);
            assertThat(latest.has("runtime_config")).as("omitted while empty").isFalse();

            // progress as reported: run_details with tasks, a finished state, metrics to sort by
            report(db, uiRun, RuntimeStates.SUCCEEDED, 0.9);
            report(db, latest.get("run_id").asText(), RuntimeStates.RUNNING, 0.5);
            JsonNode got = api.get(V2_PATH + "/" + uiRun).ok(V2, "v2beta1Run", "run_details", "state_history");
            assertThat(got.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(got.at("/run_details/task_details/0/display_name").asText()).isEqualTo("train");
            assertThat(got.at("/run_details/task_details/0/execution_id").asText()).isEqualTo("7");
            assertThat(got.at("/run_details/task_details/0/inputs/dataset/artifact_ids/1").asText()).isEqualTo("2");
            assertThat(got.at("/run_details/task_details/0/child_tasks/0/pod_name").asText()).isEqualTo("child-" + uiRun);
            assertThat(got.get("state_history").size()).isEqualTo(2);

            // lists: by experiment, a filter, a metric sort, page tokens
            JsonNode inExperiment = api.get(V2_PATH + "?experiment_id=" + experiment)
                    .ok(V2, "v2beta1ListRunsResponse", "runs", "total_size");
            assertThat(inExperiment.get("total_size").asInt()).isEqualTo(2);
            assertThat(ids(api.get(V2_PATH + "?filter=" + enc("{\"predicates\":[{\"key\":\"state\",\"operation\":\"EQUALS\","
                    + "\"string_value\":\"SUCCEEDED\"}]}")).ok(V2, "v2beta1ListRunsResponse", "runs"))).containsExactly(uiRun);
            JsonNode page1 = api.get(V2_PATH + "?page_size=1&sort_by=" + enc("metric:accuracy desc"))
                    .ok(V2, "v2beta1ListRunsResponse", "runs", "total_size", "next_page_token");
            assertThat(ids(page1)).containsExactly(uiRun);
            assertThat(page1.get("total_size").asInt()).isEqualTo(3);
            JsonNode page2 = api.get(V2_PATH + "?page_size=1&page_token=" + enc(page1.get("next_page_token").asText()))
                    .ok(V2, "v2beta1ListRunsResponse", "runs", "next_page_token");
            assertThat(ids(page2)).containsExactly(latest.get("run_id").asText());
            JsonNode page3 = api.get(V2_PATH + "?page_size=1&page_token=" + enc(page2.get("next_page_token").asText()))
                    .ok(V2, "v2beta1ListRunsResponse", "runs");
            assertThat(ids(page3)).as("runs without the metric come last").containsExactly(sdkRun);
            assertThat(page3.has("next_page_token")).isFalse();
            assertThat(api.get(V2_PATH + "?filter=" + enc("{\"predicates\":[{\"key\":\"display_name\",\"operation\":\"EQUALS\","
                    + "\"string_value\":\"none\"}]}")).ok(V2, "v2beta1ListRunsResponse")).isEmpty();

            // archive; unarchive is refused while the experiment is archived
            api.post(V2_PATH + "/" + uiRun + ":archive", null).empty(V2);
            assertThat(api.get(V2_PATH + "/" + uiRun).ok(V2, "v2beta1Run").get("storage_state").asText()).isEqualTo("ARCHIVED");
            api.post("/apis/v2beta1/experiments/" + experiment + ":archive", null).empty(V2);
            JsonNode refused = api.post(V2_PATH + "/" + uiRun + ":unarchive", null).error(V2, 400, 9);
            assertThat(refused.at("/details/0/message").asText()).contains("archived");
            api.post("/apis/v2beta1/experiments/" + experiment + ":unarchive", null).empty(V2);
            api.post(V2_PATH + "/" + uiRun + ":unarchive", null).empty(V2);
            assertThat(api.get(V2_PATH + "/" + uiRun).ok(V2, "v2beta1Run").get("storage_state").asText()).isEqualTo("AVAILABLE");

            // terminate: only an unfinished run; retry: only a finished run with a reported workflow
            api.post(V2_PATH + "/" + uiRun + ":terminate", null).error(V2, 400, 3);
            api.post(V2_PATH + "/" + latest.get("run_id").asText() + ":terminate", null).empty(V2);
            assertThat(api.get(V2_PATH + "/" + latest.get("run_id").asText()).ok(V2, "v2beta1Run").get("state").asText())
                    .isEqualTo("CANCELING");
            api.post(V2_PATH + "/" + latest.get("run_id").asText() + ":terminate", null).error(V2, 400, 3);
            api.post(V2_PATH + "/" + sdkRun + ":retry", null).error(V2, 409, 10); // no workflow reported
            api.post(V2_PATH + "/" + latest.get("run_id").asText() + ":retry", null).error(V2, 409, 10); // not finished
            api.post(V2_PATH + "/" + uiRun + ":retry", null).empty(V2);
            JsonNode retried = api.get(V2_PATH + "/" + uiRun).ok(V2, "v2beta1Run");
            assertThat(retried.get("state").asText()).isEqualTo("PENDING");
            assertThat(retried.get("finished_at").asText()).isEqualTo("1970-01-01T00:00:00Z");

            // delete takes the run with its tasks, metrics and references
            api.delete(V2_PATH + "/" + uiRun).empty(V2);
            api.get(V2_PATH + "/" + uiRun).error(V2, 404, 5);
            api.delete(V2_PATH + "/" + uiRun).error(V2, 404, 5);
            assertThat(db.count("run_details")).isEqualTo(2);
            assertThat((Number) db.queryValue("SELECT COUNT(*) FROM run_metrics WHERE \"RunUUID\" = ?", uiRun)).hasToString("0");

            // an experiment's list: nothing matching is an empty page; once the experiment is deleted its
            // runs are still listed by its id, and an empty list of an unknown id is NotFound
            String none = enc("{\"predicates\":[{\"key\":\"display_name\",\"operation\":\"EQUALS\",\"string_value\":\"none\"}]}");
            assertThat(api.get(V2_PATH + "?experiment_id=" + experiment + "&filter=" + none).ok(V2, "v2beta1ListRunsResponse"))
                    .isEmpty();
            api.delete("/apis/v2beta1/experiments/" + experiment).empty(V2);
            assertThat(ids(api.get(V2_PATH + "?experiment_id=" + experiment).ok(V2, "v2beta1ListRunsResponse", "runs")))
                    .containsExactly(latest.get("run_id").asText());
            api.get(V2_PATH + "?experiment_id=" + experiment + "&filter=" + none).error(V2, 404, 5);
        }
    }

    @OnEachDatabase
    void v1OverHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "legacy");
            String experiment = api.post("/apis/v1beta1/experiments", "{\"name\":\"v1 exp\"}").ok(V1, "apiExperiment").get("id").asText();

            // the v1 UI's create: experiment and pipeline version as references, v1 parameters
            JsonNode created = api.post(V1_PATH, "{\"name\":\"v1 run\",\"description\":\"d\",\"pipeline_spec\":{\"parameters\":"
                    + "[{\"name\":\"lr\",\"value\":\"0.1\"}]},\"resource_references\":[{\"key\":{\"type\":\"EXPERIMENT\",\"id\":\""
                    + experiment + "\"},\"relationship\":\"OWNER\"},{\"key\":{\"type\":\"PIPELINE_VERSION\",\"id\":\"" + p[1]
                    + "\"},\"relationship\":\"CREATOR\"}]}")
                    .ok(V1, "apiRunDetail", "run", "pipeline_runtime");
            JsonNode run = created.get("run");
            String id = run.get("id").asText();
            assertThat(run.get("name").asText()).isEqualTo("v1 run");
            assertThat(run.get("status").asText()).isEqualTo("Pending");
            assertThat(run.has("storage_state")).as("AVAILABLE is v1's zero value").isFalse();
            assertThat(run.at("/pipeline_spec/pipeline_id").asText()).isEqualTo(p[0]);
            assertThat(run.at("/pipeline_spec/pipeline_manifest").asText()).contains("legacy");
            assertThat(run.at("/pipeline_spec/parameters/0/value").asText()).isEqualTo("0.1");
            assertThat(run.at("/resource_references/0/key/type").asText()).isEqualTo("EXPERIMENT");
            assertThat(run.at("/resource_references/0/key/id").asText()).isEqualTo(experiment);
            assertThat(run.at("/resource_references/0/relationship").asText()).isEqualTo("OWNER");
            assertThat(run.at("/resource_references/1/key/type").asText()).isEqualTo("PIPELINE_VERSION");
            assertThat(run.at("/resource_references/1/key/id").asText()).isEqualTo(p[1]);
            assertThat(run.at("/resource_references/1/relationship").asText()).isEqualTo("CREATOR");

            report(db, id, RuntimeStates.FAILED, 0.25);
            JsonNode got = api.get(V1_PATH + "/" + id).ok(V1, "apiRunDetail", "run", "pipeline_runtime");
            assertThat(got.at("/pipeline_runtime/workflow_manifest").asText()).contains("wf-" + id);
            assertThat(got.at("/run/status").asText()).isEqualTo("Failed");
            assertThat(got.at("/run/metrics/0/name").asText()).isEqualTo("accuracy");
            assertThat(got.at("/run/metrics/0/number_value").asDouble()).isEqualTo(0.25);
            assertThat(got.at("/run/metrics/0/format").asText()).isEqualTo("RAW");

            JsonNode list = api.get(V1_PATH + "?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=" + experiment
                    + "&sort_by=" + enc("name desc")).ok(V1, "apiListRunsResponse", "runs", "total_size");
            assertThat(list.get("total_size").asInt()).isEqualTo(1);
            assertThat(list.at("/runs/0/id").asText()).isEqualTo(id);
            api.get(V1_PATH + "?resource_reference_key.type=NAMESPACE&resource_reference_key.id=kubeflow")
                    .ok(V1, "apiListRunsResponse", "runs");
            api.get(V1_PATH + "?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=nope").error(V1, 404, 5);
            api.get(V1_PATH + "?resource_reference_key.type=PIPELINE&resource_reference_key.id=x").error(V1, 400, 3);
            api.get(V1_PATH + "?resource_reference_key.type=EXPERIMENT").error(V1, 400, 3);

            api.post(V1_PATH + "/" + id + "/retry", null).empty(V1);
            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiRunDetail").at("/run/status").asText()).isEqualTo("Pending");
            api.post(V1_PATH + "/" + id + "/terminate", null).empty(V1);
            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiRunDetail").at("/run/status").asText()).isEqualTo("Terminating");
            api.post(V1_PATH + "/" + id + ":archive", "").empty(V1);
            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiRunDetail").at("/run/storage_state").asText())
                    .isEqualTo("STORAGESTATE_ARCHIVED");
            api.post(V1_PATH + "/" + id + ":unarchive", "").empty(V1);
            api.delete(V1_PATH + "/" + id).empty(V1);
            api.get(V1_PATH + "/" + id).error(V1, 404, 5);
            for (String path : List.of(V1_PATH + "/nope/retry", V1_PATH + "/nope/terminate", V1_PATH + "/nope:archive",
                    V1_PATH + "/nope:unarchive")) {
                api.post(path, null).error(V1, 404, 5);
            }
        }
    }

    @OnEachDatabase
    void badInputIsTheCallersErrorAndWritesNothing(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "bad");
            String[] other = pipeline(db, "other");
            long experiments = db.count("experiments");

            api.post(V2_PATH, "{\"display_name\":").error(V2, 400, 3);                                   // malformed JSON
            api.post(V2_PATH, "{\"display_name\":\"x\",\"colour\":1}").error(V2, 400, 3);                // unknown field
            api.post(V2_PATH, "{\"display_name\":\"x\",\"state\":\"DONE\"}").error(V2, 400, 3);          // wrong enum
            api.post(V2_PATH, "{\"pipeline_spec\":" + SPEC + "}").error(V2, 400, 3);                    // no display name
            api.post(V2_PATH, "{\"display_name\":\"x\"}").error(V2, 400, 3);                            // no pipeline
            api.post(V2_PATH, "{\"display_name\":\"x\",\"pipeline_spec\":{}}").error(V2, 400, 3);       // an empty spec
            api.post(V2_PATH, "{\"display_name\":\"x\",\"pipeline_version_reference\":{\"pipeline_id\":\"" + p[0]
                    + "\",\"pipeline_version_id\":\"" + other[1] + "\"}}").error(V2, 400, 3);             // another pipeline's version
            api.post(V2_PATH, "{\"display_name\":\"x\",\"pipeline_version_reference\":{\"pipeline_version_id\":\"nope\"}}")
                    .error(V2, 404, 5);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"pipeline_version_reference\":{\"pipeline_id\":\"nope\"}}")
                    .error(V2, 404, 5);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"experiment_id\":\"nope\",\"pipeline_spec\":" + SPEC + "}")
                    .error(V2, 404, 5);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"recurring_run_id\":\"nope\",\"pipeline_spec\":" + SPEC + "}")
                    .error(V2, 404, 5);                                                                   // no such recurring run
            api.post(V2_PATH, "{\"display_name\":\"" + "n".repeat(300) + "\",\"pipeline_spec\":" + SPEC + "}")
                    .error(V2, 400, 3);                                                                   // over the column's size
            api.post(V2_PATH, "{\"display_name\":\"x\",\"pipeline_spec\":" + SPEC + ",\"plugins_output\":{\"p\":{\"state\":"
                    + "\"PLUGIN_RUNNING\"}}}").error(V2, 409, 10);                                     // the server's field
            api.post(V1_PATH, "{\"name\":\"\"}").error(V1, 400, 3);
            api.post(V1_PATH, "{\"name\":\"x\",\"pipeline_spec\":{\"pipeline_manifest\":\"a: [\"}}").error(V1, 400, 3);
            api.post(V1_PATH, "{\"name\":\"x\",\"resource_references\":[{\"key\":{\"type\":\"PIPELINE_VERSION\",\"id\":\"nope\"},"
                    + "\"relationship\":\"CREATOR\"}]}").error(V1, 404, 5);

            api.get(V2_PATH + "?page_size=-1").error(V2, 400, 3);
            api.get(V2_PATH + "?sort_by=colour").error(V2, 400, 3);
            api.get(V2_PATH + "?sort_by=" + enc("metric:")).error(V2, 400, 3);
            api.get(V2_PATH + "?filter=" + enc("{\"predicates\":[{\"key\":\"colour\",\"operation\":\"EQUALS\",\"string_value\":\"x\"}]}"))
                    .error(V2, 400, 3);
            api.get(V2_PATH + "?page_token=bm90LWEtdG9rZW4").error(V2, 400, 3);
            api.get(V2_PATH + "?experiment_id=nope").error(V2, 404, 5);

            for (String verb : List.of(":archive", ":unarchive", ":terminate", ":retry")) {
                api.post(V2_PATH + "/nope" + verb, null).error(V2, 404, 5);
            }
            api.get(V2_PATH + "/nope").error(V2, 404, 5);
            api.delete(V2_PATH + "/nope").error(V2, 404, 5);

            assertThat(db.count("run_details")).as("nothing written by a bad request").isZero();
            assertThat(db.count("resource_references")).isEqualTo(countReferencesOfExperiments(db));
            assertThat(db.count("experiments")).isEqualTo(experiments);
        }
    }

    private static long countReferencesOfExperiments(TestDatabase db) {
        return ((Number) db.queryValue("SELECT COUNT(*) FROM resource_references WHERE \"ResourceType\" = 'Experiment'")).longValue();
    }

    @OnEachDatabase
    void v2OverGrpcAndTheScheduledWorkflowController(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "scheduled");
            RunServiceBlockingStub grpc = api.grpc(RunServiceBlockingStub.class);
            Struct spec = Struct.newBuilder().putFields("pipelineInfo", Value.newBuilder().setStructValue(Struct.newBuilder()
                    .putFields("name", Value.newBuilder().setStringValue("grpc").build())).build()).build();
            kfp.server.proto.v2beta1.Run created = grpc.createRun(CreateRunRequest.newBuilder().setRun(
                    kfp.server.proto.v2beta1.Run.newBuilder().setDisplayName("grpc").setPipelineSpec(spec)
                            .setRuntimeConfig(RuntimeConfig.newBuilder().putParameters("k", Value.newBuilder().setBoolValue(true).build())))
                    .build());
            assertThat(created.getState()).isEqualTo(RuntimeState.PENDING);
            assertThat(created.getPipelineSpec()).isEqualTo(spec);
            assertThat(created.getRuntimeConfig().getParametersMap().get("k").getBoolValue()).isTrue();
            assertThat(grpc.getRun(GetRunRequest.newBuilder().setRunId(created.getRunId()).build())).isEqualTo(created);

            // the controller creates a recurring run's run by gRPC; a second create of the same one is the same row
            Job job = new Job();
            job.displayName = "every minute";
            job.experimentId = created.getExperimentId();
            job.pipelineId = p[0];
            job.maxConcurrency = 1;
            job.schedule = "0 * * * * *";
            String jobId = db.get(JobStore.class).createJob(job).uuid;
            CreateRunRequest scheduled = CreateRunRequest.newBuilder().setRun(kfp.server.proto.v2beta1.Run.newBuilder()
                    .setDisplayName("every-minute-1700000000").setRecurringRunId(jobId).setExperimentId(job.experimentId)
                    .setPipelineVersionReference(PipelineVersionReference.newBuilder().setPipelineId(p[0]))).build();
            kfp.server.proto.v2beta1.Run first = grpc.createRun(scheduled);
            kfp.server.proto.v2beta1.Run second = grpc.createRun(scheduled);
            assertThat(first.getRunId()).isEqualTo(ScheduledRunIds.of(jobId, "every-minute-1700000000"));
            assertThat(second.getRunId()).isEqualTo(first.getRunId());
            assertThat(first.getRecurringRunId()).isEqualTo(jobId);
            assertThat(first.getPipelineVersionReference().getPipelineVersionId()).isEqualTo(p[2]); // unpinned: the latest
            assertThat(db.count("run_details")).isEqualTo(2);

            // v1 lists a recurring run's runs by its JOB reference, and shows it as the creator
            var v1 = api.grpc(kfp.server.proto.v1beta1.RunServiceGrpc.RunServiceBlockingStub.class);
            var ofJob = v1.listRunsV1(kfp.server.proto.v1beta1.ListRunsRequest.newBuilder().setResourceReferenceKey(
                    kfp.server.proto.v1beta1.ResourceKey.newBuilder().setType(kfp.server.proto.v1beta1.ResourceType.JOB).setId(jobId))
                    .build());
            assertThat(ofJob.getRunsList()).extracting(kfp.server.proto.v1beta1.Run::getId).containsExactly(first.getRunId());
            assertThat(ofJob.getRuns(0).getResourceReferencesList()).extracting(r -> r.getKey().getType())
                    .containsExactly(kfp.server.proto.v1beta1.ResourceType.EXPERIMENT, kfp.server.proto.v1beta1.ResourceType.JOB);

            List<String> names = new ArrayList<>();
            String token = "";
            do {
                ListRunsResponse page = grpc.listRuns(ListRunsRequest.newBuilder().setPageSize(1).setSortBy("display_name")
                        .setPageToken(token).build());
                page.getRunsList().forEach(r -> names.add(r.getDisplayName()));
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            assertThat(names).containsExactly("every-minute-1700000000", "grpc");

            grpc.archiveRun(kfp.server.proto.v2beta1.ArchiveRunRequest.newBuilder().setRunId(created.getRunId()).build());
            grpc.unarchiveRun(kfp.server.proto.v2beta1.UnarchiveRunRequest.newBuilder().setRunId(created.getRunId()).build());
            grpc.terminateRun(kfp.server.proto.v2beta1.TerminateRunRequest.newBuilder().setRunId(created.getRunId()).build());
            assertThat(code(() -> grpc.retryRun(kfp.server.proto.v2beta1.RetryRunRequest.newBuilder().setRunId(created.getRunId()).build())))
                    .isEqualTo(Status.Code.ABORTED);
            grpc.deleteRun(kfp.server.proto.v2beta1.DeleteRunRequest.newBuilder().setRunId(created.getRunId()).build());

            assertThat(code(() -> grpc.getRun(GetRunRequest.newBuilder().setRunId(created.getRunId()).build())))
                    .isEqualTo(Status.Code.NOT_FOUND);
            assertThat(code(() -> grpc.getRun(GetRunRequest.getDefaultInstance()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createRun(CreateRunRequest.getDefaultInstance()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.terminateRun(kfp.server.proto.v2beta1.TerminateRunRequest.newBuilder().setRunId(first.getRunId())
                    .build()))).isEqualTo(Status.Code.OK);
            assertThat(code(() -> grpc.terminateRun(kfp.server.proto.v2beta1.TerminateRunRequest.newBuilder().setRunId(first.getRunId())
                    .build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
    }

    @OnEachDatabase
    void v1OverGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "v1grpc");
            Experiment e = db.get(ExperimentStore.class).createExperiment(Experiment.newExperiment("e", "", ""));
            var grpc = api.grpc(kfp.server.proto.v1beta1.RunServiceGrpc.RunServiceBlockingStub.class);
            var detail = grpc.createRunV1(kfp.server.proto.v1beta1.CreateRunRequest.newBuilder().setRun(
                    kfp.server.proto.v1beta1.Run.newBuilder().setName("v1 grpc")
                            .setPipelineSpec(kfp.server.proto.v1beta1.PipelineSpec.newBuilder().setPipelineId(p[0]))
                            .addResourceReferences(kfp.server.proto.v1beta1.ResourceReference.newBuilder()
                                    .setKey(kfp.server.proto.v1beta1.ResourceKey.newBuilder()
                                            .setType(kfp.server.proto.v1beta1.ResourceType.EXPERIMENT).setId(e.uuid()))
                                    .setRelationship(kfp.server.proto.v1beta1.Relationship.OWNER))).build());
            String id = detail.getRun().getId();
            assertThat(detail.getRun().getPipelineSpec().getPipelineId()).isEqualTo(p[0]);
            assertThat(detail.getRun().getResourceReferences(1).getKey().getId()).isEqualTo(p[2]); // the latest version
            assertThat(grpc.getRunV1(kfp.server.proto.v1beta1.GetRunRequest.newBuilder().setRunId(id).build()).getRun())
                    .isEqualTo(detail.getRun());
            var list = grpc.listRunsV1(kfp.server.proto.v1beta1.ListRunsRequest.newBuilder().setFilter(enc(
                    "{\"predicates\":[{\"key\":\"name\",\"op\":\"EQUALS\",\"string_value\":\"v1 grpc\"}]}")).build());
            assertThat(list.getRunsList()).extracting(kfp.server.proto.v1beta1.Run::getId).containsExactly(id);
            grpc.terminateRunV1(kfp.server.proto.v1beta1.TerminateRunRequest.newBuilder().setRunId(id).build());
            grpc.archiveRunV1(kfp.server.proto.v1beta1.ArchiveRunRequest.newBuilder().setId(id).build());
            grpc.unarchiveRunV1(kfp.server.proto.v1beta1.UnarchiveRunRequest.newBuilder().setId(id).build());
            assertThat(code(() -> grpc.retryRunV1(kfp.server.proto.v1beta1.RetryRunRequest.newBuilder().setRunId(id).build())))
                    .isEqualTo(Status.Code.ABORTED);
            grpc.deleteRunV1(kfp.server.proto.v1beta1.DeleteRunRequest.newBuilder().setId(id).build());
            assertThat(code(() -> grpc.getRunV1(kfp.server.proto.v1beta1.GetRunRequest.newBuilder().setRunId(id).build())))
                    .isEqualTo(Status.Code.NOT_FOUND);
            assertThat(code(() -> grpc.createRunV1(kfp.server.proto.v1beta1.CreateRunRequest.newBuilder().setRun(
                    kfp.server.proto.v1beta1.Run.newBuilder().setName("no pipeline")).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(db.count("run_details")).isZero();
        }
    }

    private static Status.Code code(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        return e == null ? Status.Code.OK : e.getStatus().getCode();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("runs").forEach(r -> ids.add(r.get("run_id").asText()));
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
