package kfp.server.service;

import static kfp.server.testing.SwaggerValidator.V1;
import static kfp.server.testing.SwaggerValidator.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.server.proto.v2beta1.CreateRecurringRunRequest;
import kfp.server.proto.v2beta1.CronSchedule;
import kfp.server.proto.v2beta1.DeleteRecurringRunRequest;
import kfp.server.proto.v2beta1.DisableRecurringRunRequest;
import kfp.server.proto.v2beta1.EnableRecurringRunRequest;
import kfp.server.proto.v2beta1.GetRecurringRunRequest;
import kfp.server.proto.v2beta1.ListRecurringRunsRequest;
import kfp.server.proto.v2beta1.PeriodicSchedule;
import kfp.server.proto.v2beta1.PipelineVersionReference;
import kfp.server.proto.v2beta1.RecurringRun;
import kfp.server.proto.v2beta1.RecurringRunServiceGrpc.RecurringRunServiceBlockingStub;
import kfp.server.proto.v2beta1.Trigger;
import kfp.server.testing.ApiTestServer;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * KFP's recurring run API, v2beta1 RecurringRunService and v1beta1 JobService, over HTTP/JSON and
 * gRPC, on each database, with the bodies the SDK and the UI send. Every JSON body is checked
 * against KFP's swagger; bad requests leave no recurring run behind.
 */
@StoreTest
class RecurringRunApiTest {

    private static final String V2_PATH = "/apis/v2beta1/recurringruns";
    private static final String V1_PATH = "/apis/v1beta1/jobs";
    private static final String SPEC = "{\"pipelineInfo\":{\"name\":\"hello\"},\"schemaVersion\":\"2.1.0\"}";

    /** A READY pipeline with two READY versions; returns {pipeline, older version, latest version}. */
    private static String[] pipeline(TestDatabase db, String name) {
        PipelineStore store = db.get(PipelineStore.class);
        Pipeline p = store.createPipeline(Pipeline.newPipeline(name, name, "", "", Map.of()));
        String[] ids = {p.uuid(), "", ""};
        for (int i = 1; i <= 2; i++) {
            ids[i] = store.createPipelineVersion(PipelineVersion.newVersion(p.uuid(), name + "-v" + i, name + "-v" + i, "",
                    "pipelineInfo:\n  name: " + name + "\nschemaVersion: 2.1.0\n", "", "", Map.of())).uuid();
        }
        return ids;
    }

    @OnEachDatabase
    void v2OverHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "hello");
            String experiment = api.post("/apis/v2beta1/experiments", "{\"display_name\":\"nightly\"}")
                    .ok(V2, "v2beta1Experiment").get("experiment_id").asText();

            // the SDK's create_recurring_run: a pinned version, a cron with seconds, a start time, catch-up off
            JsonNode cron = api.post(V2_PATH, "{\"display_name\":\"hourly\",\"description\":\"d\",\"experiment_id\":\"" + experiment
                    + "\",\"pipeline_version_reference\":{\"pipeline_id\":\"" + p[0] + "\",\"pipeline_version_id\":\"" + p[1]
                    + "\"},\"runtime_config\":{\"parameters\":{\"lr\":\"0.1\"}},\"trigger\":{\"cron_schedule\":{\"cron\":"
                    + "\"0 0 * * * *\",\"start_time\":\"2026-01-01T00:00:00Z\"}},\"max_concurrency\":\"2\",\"mode\":\"ENABLE\","
                    + "\"no_catchup\":true}")
                    .ok(V2, "v2beta1RecurringRun", "recurring_run_id", "display_name", "description", "pipeline_version_reference",
                            "runtime_config", "service_account", "max_concurrency", "trigger", "mode", "created_at", "updated_at",
                            "status", "no_catchup", "experiment_id");
            String hourly = cron.get("recurring_run_id").asText();
            assertThat(cron.get("status").asText()).isEqualTo("ENABLED");
            assertThat(cron.get("mode").asText()).isEqualTo("ENABLE");
            assertThat(cron.get("max_concurrency").asText()).isEqualTo("2");
            assertThat(cron.at("/trigger/cron_schedule/cron").asText()).isEqualTo("0 0 * * * *");
            assertThat(cron.at("/trigger/cron_schedule/start_time").asText()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(cron.at("/trigger/cron_schedule").has("end_time")).as("unset stays unset").isFalse();
            assertThat(cron.get("no_catchup").asBoolean()).isTrue();
            assertThat(cron.at("/pipeline_version_reference/pipeline_version_id").asText()).isEqualTo(p[1]);
            assertThat(cron.at("/runtime_config/parameters/lr").asText()).isEqualTo("0.1");
            assertThat(cron.get("service_account").asText()).isEqualTo("pipeline-runner");

            // the UI's body: camelCase, periodic, a pipeline without a version (not pinned), disabled, default experiment
            JsonNode periodic = api.post(V2_PATH, "{\"displayName\":\"periodic\",\"pipelineVersionReference\":{\"pipelineId\":\""
                    + p[0] + "\"},\"trigger\":{\"periodicSchedule\":{\"intervalSecond\":\"3600\"}},\"maxConcurrency\":\"10\","
                    + "\"mode\":\"DISABLE\"}")
                    .ok(V2, "v2beta1RecurringRun", "recurring_run_id", "trigger", "status");
            String periodicId = periodic.get("recurring_run_id").asText();
            assertThat(periodic.get("status").asText()).isEqualTo("DISABLED");
            assertThat(periodic.at("/trigger/periodic_schedule/interval_second").asText()).isEqualTo("3600");
            assertThat(periodic.at("/pipeline_version_reference/pipeline_id").asText()).isEqualTo(p[0]);
            assertThat(periodic.at("/pipeline_version_reference").has("pipeline_version_id")).isFalse();
            assertThat(periodic.has("pipeline_spec")).isFalse();
            assertThat(periodic.get("experiment_id").asText()).isNotEqualTo(experiment);

            // an inline spec, @every, no trigger at all
            JsonNode every = api.post(V2_PATH, "{\"display_name\":\"every\",\"pipeline_spec\":" + SPEC + ",\"trigger\":"
                    + "{\"cron_schedule\":{\"cron\":\"@every 30m\"}},\"max_concurrency\":\"1\"}").ok(V2, "v2beta1RecurringRun", "pipeline_spec");
            assertThat(every.at("/pipeline_spec/pipelineInfo/name").asText()).isEqualTo("hello");
            JsonNode bare = api.post(V2_PATH, "{\"display_name\":\"bare\",\"pipeline_spec\":" + SPEC + ",\"max_concurrency\":\"1\"}")
                    .ok(V2, "v2beta1RecurringRun", "trigger");
            assertThat(bare.get("trigger").isEmpty()).as("an empty trigger is {}").isTrue();

            assertThat(api.get(V2_PATH + "/" + hourly).ok(V2, "v2beta1RecurringRun", "recurring_run_id")).isEqualTo(cron);

            // lists: camelCase key, by experiment, sort, filter, page tokens
            JsonNode inExperiment = api.get(V2_PATH + "?experiment_id=" + experiment)
                    .ok(V2, "v2beta1ListRecurringRunsResponse", "recurringRuns", "total_size");
            assertThat(ids(inExperiment)).containsExactly(hourly);
            List<String> names = new ArrayList<>();
            String token = "";
            do {
                JsonNode page = api.get(V2_PATH + "?page_size=3&sort_by=" + enc("display_name desc")
                        + (token.isEmpty() ? "" : "&page_token=" + enc(token))).ok(V2, "v2beta1ListRecurringRunsResponse", "recurringRuns");
                page.path("recurringRuns").forEach(r -> names.add(r.get("display_name").asText()));
                token = page.path("next_page_token").asText("");
            } while (!token.isEmpty());
            assertThat(names).containsExactly("periodic", "hourly", "every", "bare");
            assertThat(ids(api.get(V2_PATH + "?filter=" + enc("{\"predicates\":[{\"key\":\"display_name\",\"operation\":"
                    + "\"IS_SUBSTRING\",\"string_value\":\"RIOD\"}]}")).ok(V2, "v2beta1ListRecurringRunsResponse", "recurringRuns")))
                    .containsExactly(periodicId);

            // enable, disable
            api.post(V2_PATH + "/" + periodicId + ":enable", null).empty(V2);
            assertThat(api.get(V2_PATH + "/" + periodicId).ok(V2, "v2beta1RecurringRun").get("status").asText()).isEqualTo("ENABLED");
            api.post(V2_PATH + "/" + periodicId + ":disable", null).empty(V2);
            assertThat(api.get(V2_PATH + "/" + periodicId).ok(V2, "v2beta1RecurringRun").get("mode").asText()).isEqualTo("DISABLE");

            // a run it started stays when the recurring run is deleted
            JsonNode run = api.post("/apis/v2beta1/runs", "{\"display_name\":\"hourly-1\",\"recurring_run_id\":\"" + hourly
                    + "\",\"experiment_id\":\"" + experiment + "\",\"pipeline_version_reference\":{\"pipeline_id\":\"" + p[0]
                    + "\"}}").ok(V2, "v2beta1Run", "recurring_run_id");
            api.delete(V2_PATH + "/" + hourly + "?propagation_policy=FOREGROUND").empty(V2);
            api.get(V2_PATH + "/" + hourly).error(V2, 404, 5);
            api.delete(V2_PATH + "/" + hourly).error(V2, 404, 5);
            api.get("/apis/v2beta1/runs/" + run.get("run_id").asText()).ok(V2, "v2beta1Run");
            assertThat(db.count("jobs")).isEqualTo(3);
        }
    }

    @OnEachDatabase
    void v1OverHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "legacy");
            String experiment = api.post("/apis/v1beta1/experiments", "{\"name\":\"v1 exp\"}").ok(V1, "apiExperiment").get("id").asText();
            // the v1 UI: experiment by reference, a pipeline id (pinned to its latest version now), enabled
            JsonNode job = api.post(V1_PATH, "{\"name\":\"v1 job\",\"description\":\"d\",\"pipeline_spec\":{\"pipeline_id\":\""
                    + p[0] + "\",\"parameters\":[{\"name\":\"lr\",\"value\":\"0.1\"}]},\"resource_references\":[{\"key\":"
                    + "{\"type\":\"EXPERIMENT\",\"id\":\"" + experiment + "\"},\"relationship\":\"OWNER\"}],\"max_concurrency\":\"3\","
                    + "\"trigger\":{\"periodic_schedule\":{\"interval_second\":\"60\",\"end_time\":\"2030-01-01T00:00:00Z\"}},"
                    + "\"enabled\":true}")
                    .ok(V1, "apiJob", "id", "name", "description", "pipeline_spec", "resource_references", "max_concurrency",
                            "trigger", "created_at", "updated_at", "status", "enabled");
            String id = job.get("id").asText();
            assertThat(job.get("status").asText()).isEqualTo("ENABLED");
            assertThat(job.has("mode")).as("input only").isFalse();
            assertThat(job.at("/trigger/periodic_schedule/end_time").asText()).isEqualTo("2030-01-01T00:00:00Z");
            assertThat(job.at("/pipeline_spec/parameters/0/name").asText()).isEqualTo("lr");
            assertThat(job.at("/resource_references/0/key/id").asText()).isEqualTo(experiment);
            assertThat(job.at("/resource_references/1/key/type").asText()).isEqualTo("PIPELINE_VERSION");
            assertThat(job.at("/resource_references/1/key/id").asText()).isEqualTo(p[2]);

            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiJob", "id")).isEqualTo(job);
            JsonNode list = api.get(V1_PATH + "?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=" + experiment)
                    .ok(V1, "apiListJobsResponse", "jobs", "total_size");
            assertThat(list.at("/jobs/0/id").asText()).isEqualTo(id);
            api.get(V1_PATH + "?resource_reference_key.type=JOB&resource_reference_key.id=x").error(V1, 400, 3);
            api.get(V1_PATH + "?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=nope").error(V1, 404, 5);

            api.post(V1_PATH + "/" + id + "/disable", null).empty(V1);
            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiJob").has("enabled")).isFalse();
            api.post(V1_PATH + "/" + id + "/enable", null).empty(V1);
            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiJob").get("enabled").asBoolean()).isTrue();
            api.delete(V1_PATH + "/" + id).empty(V1);
            api.get(V1_PATH + "/" + id).error(V1, 404, 5);
            api.post(V1_PATH + "/" + id + "/enable", null).error(V1, 404, 5);
            api.post(V1_PATH + "/" + id + "/disable", null).error(V1, 404, 5);
            assertThat(db.count("jobs")).isZero();
        }
    }

    @OnEachDatabase
    void badInputIsTheCallersErrorAndWritesNothing(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "bad");
            String[] other = pipeline(db, "other");
            String ok = ",\"pipeline_spec\":" + SPEC;
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\"" + ok + ",\"colour\":1}").error(V2, 400, 3);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\"" + ok + ",\"mode\":\"ON\"}").error(V2, 400, 3);
            api.post(V2_PATH, "{\"max_concurrency\":\"1\"" + ok + "}").error(V2, 400, 3);                      // no name
            api.post(V2_PATH, "{\"display_name\":\"x\"" + ok + "}").error(V2, 400, 3);                         // concurrency 0
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"11\"" + ok + "}").error(V2, 400, 3);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\"}").error(V2, 400, 3);         // no pipeline
            for (String cron : List.of("* * * *", "0 0 0 * * * *", "61 * * * * *", "0 0 0 * * 7", "@every x", "@often")) {
                api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\"" + ok + ",\"trigger\":{\"cron_schedule\":"
                        + "{\"cron\":\"" + cron + "\"}}}").error(V2, 400, 3);
            }
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\"" + ok + ",\"trigger\":{\"periodic_schedule\":"
                    + "{\"interval_second\":\"0\"}}}").error(V2, 400, 3);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\"" + ok + ",\"trigger\":{\"periodic_schedule\":"
                    + "{\"interval_second\":\"-5\"}}}").error(V2, 400, 3);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\",\"pipeline_version_reference\":{\"pipeline_id\":\""
                    + p[0] + "\",\"pipeline_version_id\":\"" + other[1] + "\"}}").error(V2, 400, 3);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\",\"pipeline_version_reference\":"
                    + "{\"pipeline_version_id\":\"nope\"}}").error(V2, 404, 5);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\",\"pipeline_version_reference\":"
                    + "{\"pipeline_id\":\"nope\"}}").error(V2, 404, 5);
            api.post(V2_PATH, "{\"display_name\":\"x\",\"max_concurrency\":\"1\",\"experiment_id\":\"nope\"" + ok + "}").error(V2, 404, 5);
            api.post(V2_PATH, "{\"display_name\":\"" + "n".repeat(300) + "\",\"max_concurrency\":\"1\"" + ok + "}").error(V2, 400, 3);
            api.post(V1_PATH, "{\"name\":\"x\",\"max_concurrency\":\"1\"}").error(V1, 400, 3);
            api.post(V1_PATH, "{\"name\":\"x\",\"max_concurrency\":\"20\",\"pipeline_spec\":{\"pipeline_id\":\"" + p[0] + "\"}}")
                    .error(V1, 400, 3);

            api.get(V2_PATH + "?experiment_id=nope").error(V2, 404, 5);
            api.get(V2_PATH + "?sort_by=colour").error(V2, 400, 3);
            api.get(V2_PATH + "?page_size=-2").error(V2, 400, 3);
            api.get(V2_PATH + "/nope").error(V2, 404, 5);
            api.post(V2_PATH + "/nope:enable", null).error(V2, 404, 5);
            api.post(V2_PATH + "/nope:disable", null).error(V2, 404, 5);
            api.delete(V2_PATH + "/nope").error(V2, 404, 5);
            api.delete(V1_PATH + "/nope").error(V1, 404, 5);
            assertThat(db.count("jobs")).as("nothing written by a bad request").isZero();
            assertThat(((Number) db.queryValue("SELECT COUNT(*) FROM resource_references WHERE \"ResourceType\" = 'Job'"))
                    .longValue()).isZero();
        }
    }

    @OnEachDatabase
    void overGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            String[] p = pipeline(db, "grpc");
            RecurringRunServiceBlockingStub grpc = api.grpc(RecurringRunServiceBlockingStub.class);
            RecurringRun created = grpc.createRecurringRun(CreateRecurringRunRequest.newBuilder().setRecurringRun(
                    RecurringRun.newBuilder().setDisplayName("grpc").setMaxConcurrency(5).setMode(RecurringRun.Mode.ENABLE)
                            .setPipelineVersionReference(PipelineVersionReference.newBuilder().setPipelineId(p[0]).setPipelineVersionId(p[2]))
                            .setTrigger(Trigger.newBuilder().setCronSchedule(CronSchedule.newBuilder().setCron("0 */5 * * * *"))))
                    .build());
            assertThat(created.getStatus()).isEqualTo(RecurringRun.Status.ENABLED);
            assertThat(grpc.getRecurringRun(GetRecurringRunRequest.newBuilder().setRecurringRunId(created.getRecurringRunId()).build()))
                    .isEqualTo(created);
            grpc.disableRecurringRun(DisableRecurringRunRequest.newBuilder().setRecurringRunId(created.getRecurringRunId()).build());
            assertThat(grpc.listRecurringRuns(ListRecurringRunsRequest.getDefaultInstance()).getRecurringRuns(0).getStatus())
                    .isEqualTo(RecurringRun.Status.DISABLED);
            grpc.enableRecurringRun(EnableRecurringRunRequest.newBuilder().setRecurringRunId(created.getRecurringRunId()).build());
            assertThat(code(() -> grpc.createRecurringRun(CreateRecurringRunRequest.newBuilder().setRecurringRun(
                    RecurringRun.newBuilder().setDisplayName("p").setMaxConcurrency(1)
                            .setPipelineVersionReference(PipelineVersionReference.newBuilder().setPipelineId(p[0]))
                            .setTrigger(Trigger.newBuilder().setPeriodicSchedule(PeriodicSchedule.newBuilder().setIntervalSecond(0))))
                    .build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.getRecurringRun(GetRecurringRunRequest.getDefaultInstance()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            grpc.deleteRecurringRun(DeleteRecurringRunRequest.newBuilder().setRecurringRunId(created.getRecurringRunId()).build());
            assertThat(code(() -> grpc.getRecurringRun(GetRecurringRunRequest.newBuilder().setRecurringRunId(created.getRecurringRunId())
                    .build()))).isEqualTo(Status.Code.NOT_FOUND);

            var v1 = api.grpc(kfp.server.proto.v1beta1.JobServiceGrpc.JobServiceBlockingStub.class);
            var job = v1.createJob(kfp.server.proto.v1beta1.CreateJobRequest.newBuilder().setJob(kfp.server.proto.v1beta1.Job.newBuilder()
                    .setName("v1").setMaxConcurrency(1).setMode(kfp.server.proto.v1beta1.Job.Mode.ENABLED)
                    .addResourceReferences(kfp.server.proto.v1beta1.ResourceReference.newBuilder().setKey(
                            kfp.server.proto.v1beta1.ResourceKey.newBuilder().setType(kfp.server.proto.v1beta1.ResourceType.PIPELINE_VERSION)
                                    .setId(p[1])).setRelationship(kfp.server.proto.v1beta1.Relationship.CREATOR))
                    .setTrigger(kfp.server.proto.v1beta1.Trigger.newBuilder().setCronSchedule(
                            kfp.server.proto.v1beta1.CronSchedule.newBuilder().setCron("@hourly")))).build());
            assertThat(job.getEnabled()).isTrue();
            assertThat(v1.getJob(kfp.server.proto.v1beta1.GetJobRequest.newBuilder().setId(job.getId()).build())).isEqualTo(job);
            assertThat(v1.listJobs(kfp.server.proto.v1beta1.ListJobsRequest.getDefaultInstance()).getJobsList())
                    .extracting(kfp.server.proto.v1beta1.Job::getId).containsExactly(job.getId());
            v1.disableJob(kfp.server.proto.v1beta1.DisableJobRequest.newBuilder().setId(job.getId()).build());
            v1.enableJob(kfp.server.proto.v1beta1.EnableJobRequest.newBuilder().setId(job.getId()).build());
            v1.deleteJob(kfp.server.proto.v1beta1.DeleteJobRequest.newBuilder().setId(job.getId()).build());
            assertThat(code(() -> v1.deleteJob(kfp.server.proto.v1beta1.DeleteJobRequest.newBuilder().setId(job.getId()).build())))
                    .isEqualTo(Status.Code.NOT_FOUND);
            assertThat(db.count("jobs")).isZero();
        }
    }

    private static Status.Code code(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("recurringRuns").forEach(r -> ids.add(r.get("recurring_run_id").asText()));
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
