package kfp.server.service;

import static kfp.server.testing.SwaggerValidator.V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import kfp.server.proto.v1beta1.CreateTaskRequest;
import kfp.server.proto.v1beta1.ListTasksRequest;
import kfp.server.proto.v1beta1.ListTasksResponse;
import kfp.server.proto.v1beta1.ResourceKey;
import kfp.server.proto.v1beta1.ResourceType;
import kfp.server.proto.v1beta1.Task;
import kfp.server.proto.v1beta1.TaskServiceGrpc.TaskServiceBlockingStub;
import kfp.server.testing.ApiTestServer;
import kfp.server.testing.RunRows;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * {@code api.TaskService} as the v2 launcher writes it and the v2 driver's cache reads it, over
 * gRPC (their transport) and {@code /apis/v1alpha1/tasks}.
 */
@StoreTest
class TaskApiTest {

    private static final String PATH = "/apis/v1alpha1/tasks";
    private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** The launcher's CreateTaskV1 after a step ran, then the driver's lookup of a later step with the same key. */
    @OnEachDatabase
    void driversCacheRoundTripOverGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            RunRows.pending(db, "run-a", "wf-a");
            RunRows.pending(db, "run-b", "wf-b");
            TaskServiceBlockingStub grpc = api.grpc(TaskServiceBlockingStub.class);

            assertThat(lookup(grpc, FINGERPRINT, "pipeline/train", "kubeflow").getTasksList()).as("a miss").isEmpty();

            Task first = grpc.createTaskV1(create(launcherTask("run-a", "101", FINGERPRINT, 1000)));
            assertThat(first.getId()).isNotEmpty();
            assertThat(first.getMlmdExecutionID()).isEqualTo("101");
            assertThat(first.getNamespace()).as("kept: the lookup filters on it").isEqualTo("kubeflow");
            assertThat(first.getCreatedAt().getSeconds()).isEqualTo(1000);
            assertThat(first.getFinishedAt().getSeconds()).isEqualTo(1010);
            // a newer run with the same step, and an older one with another
            RunRows.pending(db, "run-c", "wf-c");
            grpc.createTaskV1(create(launcherTask("run-b", "201", FINGERPRINT, 2000)));
            grpc.createTaskV1(create(launcherTask("run-c", "301", FINGERPRINT, 1500)));

            ListTasksResponse hit = lookup(grpc, FINGERPRINT, "pipeline/train", "kubeflow");
            assertThat(hit.getTasksList()).extracting(Task::getMlmdExecutionID).containsExactly("201"); // the newest
            assertThat(hit.getTotalSize()).isEqualTo(3);
            assertThat(hit.getNextPageToken()).isNotEmpty();
            assertThat(lookup(grpc, FINGERPRINT, "pipeline/other", "kubeflow").getTasksList()).isEmpty();
            assertThat(lookup(grpc, FINGERPRINT, "pipeline/train", "team-b").getTasksList()).isEmpty();
            assertThat(db.count("tasks")).isEqualTo(3);

            // the launcher records every cached step of a run, none with a pod name: all are kept
            String other = "b".repeat(64);
            grpc.createTaskV1(create(launcherTask("run-a", "102", other, 1001)));
            grpc.createTaskV1(create(launcherTask("run-a", "103", other, 1002)));
            assertThat(lookup(grpc, other, "pipeline/train", "kubeflow").getTasksList())
                    .extracting(Task::getMlmdExecutionID).containsExactly("103");
            assertThat(db.count("tasks")).isEqualTo(5);

            ListTasksResponse byPipeline = grpc.listTasksV1(ListTasksRequest.newBuilder().setResourceReferenceKey(
                    ResourceKey.newBuilder().setType(ResourceType.PIPELINE).setId("pipeline/train")).setSortBy("created_at").build());
            assertThat(byPipeline.getTasksList()).extracting(Task::getMlmdExecutionID).containsExactly("101", "102", "103", "301", "201");

            // what the launcher must send, as KFP checks it
            assertThat(code(() -> grpc.createTaskV1(create(launcherTask("run-b", "1", FINGERPRINT, 1).toBuilder().setId("x").build()))))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createTaskV1(create(launcherTask("run-b", "", FINGERPRINT, 1)))))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createTaskV1(create(launcherTask("run-b", "1", "", 1)))))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createTaskV1(create(launcherTask("run-b", "1", FINGERPRINT, 1).toBuilder().clearCreatedAt().build()))))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createTaskV1(create(launcherTask("run-b", "1", FINGERPRINT, 1).toBuilder()
                    .setPipelineName("namespace/team-b/pipeline/train").build())))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createTaskV1(create(launcherTask("run-b", "1", FINGERPRINT, 1).toBuilder()
                    .setPipelineName("namespace/kubeflow").build())))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createTaskV1(create(launcherTask("no-such-run", "1", FINGERPRINT, 1)))))
                    .isEqualTo(Status.Code.NOT_FOUND);
            assertThat(code(() -> grpc.createTaskV1(create(launcherTask("run-b", "1", "f".repeat(256), 1)))))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.listTasksV1(ListTasksRequest.newBuilder().setFilter("{oops").build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(db.count("tasks")).as("nothing written by a refused task").isEqualTo(5);
        }
    }

    @OnEachDatabase
    void overHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            RunRows.pending(db, "run-h", "wf-h");
            JsonNode created = api.post(PATH, "{\"pipelineName\":\"pipeline/train\",\"namespace\":\"kubeflow\",\"runId\":\"run-h\","
                            + "\"mlmdExecutionID\":\"7\",\"created_at\":\"2026-01-02T03:04:05Z\",\"finished_at\":\"2026-01-02T03:05:00Z\","
                            + "\"fingerprint\":\"" + FINGERPRINT + "\"}")
                    .ok(V1, "apiTask", "id", "namespace", "pipelineName", "runId", "mlmdExecutionID", "created_at", "finished_at",
                            "fingerprint");
            assertThat(created.get("created_at").asText()).isEqualTo("2026-01-02T03:04:05Z");

            String filter = "{\"predicates\":[{\"op\":\"EQUALS\",\"key\":\"fingerprint\",\"stringValue\":\"" + FINGERPRINT + "\"},"
                    + "{\"op\":\"EQUALS\",\"key\":\"pipelineName\",\"stringValue\":\"pipeline/train\"},"
                    + "{\"op\":\"EQUALS\",\"key\":\"namespace\",\"stringValue\":\"kubeflow\"}]}";
            JsonNode list = api.get(PATH + "?page_size=1&sort_by=" + enc("created_at desc") + "&filter=" + enc(filter))
                    .ok(V1, "apiListTasksResponse", "tasks", "total_size");
            assertThat(list.at("/tasks/0/id").asText()).isEqualTo(created.get("id").asText());
            assertThat(list.at("/tasks/0/mlmdExecutionID").asText()).isEqualTo("7");

            api.post(PATH, "{\"pipelineName\":\"pipeline/train\",\"runId\":\"run-h\"}").error(V1, 400, 3);
            api.post(PATH, "{\"pipelineName\":").error(V1, 400, 3);
            api.post(PATH, "{\"pipelineName\":\"pipeline/train\",\"runId\":\"gone\",\"mlmdExecutionID\":\"7\","
                    + "\"created_at\":\"2026-01-02T03:04:05Z\",\"fingerprint\":\"f\"}").error(V1, 404, 5);
            api.get(PATH + "?sort_by=colour").error(V1, 400, 3);
            assertThat(db.count("tasks")).isEqualTo(1);
        }
    }

    /** What the v2 launcher sends after running a step (KFP's launcher: no pod, no id). */
    private static Task launcherTask(String runId, String executionId, String fingerprint, long createdAt) {
        return Task.newBuilder()
                .setPipelineName("pipeline/train")
                .setNamespace("kubeflow")
                .setRunId(runId)
                .setMlmdExecutionID(executionId)
                .setCreatedAt(Timestamp.newBuilder().setSeconds(createdAt))
                .setFinishedAt(Timestamp.newBuilder().setSeconds(createdAt + 10))
                .setFingerprint(fingerprint)
                .build();
    }

    private static CreateTaskRequest create(Task t) {
        return CreateTaskRequest.newBuilder().setTask(t).build();
    }

    /** The v2 driver's lookup: its filter as protojson writes it, newest first, one task. */
    private static ListTasksResponse lookup(TaskServiceBlockingStub grpc, String fingerprint, String pipelineName, String namespace) {
        String filter = "{\"predicates\":[{\"op\":\"EQUALS\",\"key\":\"fingerprint\",\"stringValue\":\"" + fingerprint + "\"},"
                + "{\"op\":\"EQUALS\",\"key\":\"pipelineName\",\"stringValue\":\"" + pipelineName + "\"},"
                + "{\"op\":\"EQUALS\",\"key\":\"namespace\",\"stringValue\":\"" + namespace + "\"}]}";
        return grpc.listTasksV1(ListTasksRequest.newBuilder().setPageSize(1).setSortBy("created_at desc").setFilter(filter).build());
    }

    private static Status.Code code(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
