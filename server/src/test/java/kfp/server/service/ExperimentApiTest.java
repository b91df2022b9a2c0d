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
import kfp.server.errors.ApiErrors;
import kfp.server.proto.v1beta1.ResourceKey;
import kfp.server.proto.v1beta1.ResourceReference;
import kfp.server.proto.v1beta1.ResourceType;
import kfp.server.proto.v2beta1.ArchiveExperimentRequest;
import kfp.server.proto.v2beta1.CreateExperimentRequest;
import kfp.server.proto.v2beta1.DeleteExperimentRequest;
import kfp.server.proto.v2beta1.Experiment;
import kfp.server.proto.v2beta1.ExperimentServiceGrpc.ExperimentServiceBlockingStub;
import kfp.server.proto.v2beta1.GetExperimentRequest;
import kfp.server.proto.v2beta1.ListExperimentsRequest;
import kfp.server.proto.v2beta1.ListExperimentsResponse;
import kfp.server.proto.v2beta1.UnarchiveExperimentRequest;
import kfp.server.testing.ApiTestServer;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * KFP's experiment API, v2beta1 and v1beta1, over HTTP/JSON and gRPC, on each database. Every
 * JSON body is checked against KFP's swagger; every bad request leaves the table as it was.
 */
@StoreTest
class ExperimentApiTest {

    private static final String V2_PATH = "/apis/v2beta1/experiments";
    private static final String V1_PATH = "/apis/v1beta1/experiments";

    @OnEachDatabase
    void v2OverHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            JsonNode created = api.post(V2_PATH, "{\"display_name\":\"train\",\"description\":\"nightly\",\"namespace\":\"team-a\"}")
                    .ok(V2, "v2beta1Experiment", "experiment_id", "display_name", "description", "created_at",
                            "storage_state", "last_run_created_at");
            String id = created.get("experiment_id").asText();
            assertThat(created.get("display_name").asText()).isEqualTo("train");
            assertThat(created.get("storage_state").asText()).isEqualTo("AVAILABLE");
            assertThat(created.get("last_run_created_at").asText()).isEqualTo("1970-01-01T00:00:00Z"); // no runs yet
            assertThat(created.has("namespace")).as("single-user: namespaces blanked, empty omitted").isFalse();
            assertThat(created.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

            JsonNode got = api.get(V2_PATH + "/" + id).ok(V2, "v2beta1Experiment", "experiment_id");
            assertThat(got).isEqualTo(created);

            // the default experiment exists from start-up
            JsonNode all = api.get(V2_PATH).ok(V2, "v2beta1ListExperimentsResponse", "experiments", "total_size");
            assertThat(all.get("total_size").asInt()).isEqualTo(2);
            assertThat(all.has("next_page_token")).isFalse();
            assertThat(names(all, "display_name")).containsExactlyInAnyOrder("Default", "train");

            api.post(V2_PATH, "{\"displayName\":\"eval\"}").ok(V2, "v2beta1Experiment"); // camelCase input accepted
            // pages of one, by name descending, with a filter: the token carries sort and filter
            String filter = enc("{\"predicates\":[{\"key\":\"name\",\"operation\":\"NOT_EQUALS\",\"string_value\":\"default\"}]}");
            JsonNode page1 = api.get(V2_PATH + "?page_size=1&sort_by=" + enc("name desc") + "&filter=" + filter)
                    .ok(V2, "v2beta1ListExperimentsResponse", "experiments", "total_size", "next_page_token");
            assertThat(names(page1, "display_name")).containsExactly("train");
            assertThat(page1.get("total_size").asInt()).isEqualTo(2);
            JsonNode page2 = api.get(V2_PATH + "?page_size=1&pageToken=" + enc(page1.get("next_page_token").asText()))
                    .ok(V2, "v2beta1ListExperimentsResponse", "experiments");
            assertThat(names(page2, "display_name")).containsExactly("eval");
            assertThat(page2.has("next_page_token")).isFalse();

            api.post(V2_PATH + "/" + id + ":archive", null).empty(V2);
            assertThat(api.get(V2_PATH + "/" + id).ok(V2, "v2beta1Experiment").get("storage_state").asText()).isEqualTo("ARCHIVED");
            api.post(V2_PATH + "/" + id + ":unarchive", null).empty(V2);
            assertThat(api.get(V2_PATH + "/" + id).ok(V2, "v2beta1Experiment").get("storage_state").asText()).isEqualTo("AVAILABLE");

            api.delete(V2_PATH + "/" + id).empty(V2);
            api.get(V2_PATH + "/" + id).error(V2, 404, 5);
            assertThat(db.count("experiments")).isEqualTo(2);
        }
    }

    @OnEachDatabase
    void v1OverHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            JsonNode created = api.post(V1_PATH, "{\"name\":\"legacy\",\"description\":\"d\",\"resource_references\":"
                            + "[{\"key\":{\"type\":\"NAMESPACE\",\"id\":\"team-a\"},\"relationship\":\"OWNER\"}]}")
                    .ok(V1, "apiExperiment", "id", "name", "description", "created_at", "resource_references", "storage_state");
            String id = created.get("id").asText();
            assertThat(created.get("storage_state").asText()).isEqualTo("STORAGESTATE_AVAILABLE");
            assertThat(created.at("/resource_references/0/key/type").asText()).isEqualTo("NAMESPACE");
            assertThat(created.at("/resource_references/0/relationship").asText()).isEqualTo("OWNER");

            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiExperiment", "id")).isEqualTo(created);
            JsonNode list = api.get(V1_PATH + "?resource_reference_key.type=NAMESPACE&resource_reference_key.id=team-a"
                    + "&sort_by=name%20desc").ok(V1, "apiListExperimentsResponse", "experiments", "total_size");
            assertThat(names(list, "name")).containsExactly("legacy", "Default");

            api.post(V1_PATH + "/" + id + ":archive", "").empty(V1);
            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiExperiment").get("storage_state").asText())
                    .isEqualTo("STORAGESTATE_ARCHIVED");
            api.post(V1_PATH + "/" + id + ":unarchive", "").empty(V1);
            api.delete(V1_PATH + "/" + id).empty(V1);
            api.delete(V1_PATH + "/" + id).error(V1, 404, 5);
            api.get(V1_PATH + "?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=x").error(V1, 400, 3);
            api.get(V1_PATH + "?resource_reference_key.type=NO_SUCH_TYPE").error(V1, 400, 3);
        }
    }

    @OnEachDatabase
    void badInputIsTheCallersErrorAndWritesNothing(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            api.post(V2_PATH, "{\"display_name\":\"taken\"}").ok(V2, "v2beta1Experiment");
            long rows = db.count("experiments");

            api.post(V2_PATH, "{\"display_name\":").error(V2, 400, 3);                          // malformed JSON
            api.post(V2_PATH, "[1]").error(V2, 400, 3);                                         // not an object
            api.post(V2_PATH, "{\"display_name\":\"x\",\"colour\":\"red\"}").error(V2, 400, 3); // unknown field
            api.post(V2_PATH, "{\"display_name\":\"x\",\"storage_state\":\"GONE\"}").error(V2, 400, 3); // wrong enum
            api.post(V2_PATH, "{\"display_name\":\"\"}").error(V2, 400, 3);                     // empty name
            api.post(V2_PATH, "{}").error(V2, 400, 3);
            api.post(V2_PATH, "{\"display_name\":\"" + "n".repeat(129) + "\"}").error(V2, 400, 3); // over 128
            api.post(V2_PATH, "{\"display_name\":\"d\",\"description\":\"" + "d".repeat(256) + "\"}").error(V2, 400, 3);
            api.post(V1_PATH, "{\"name\":\"\"}").error(V1, 400, 3);
            JsonNode duplicate = api.post(V2_PATH, "{\"display_name\":\"TAKEN\"}").error(V2, 409, 6); // names ignore case
            assertThat(duplicate.at("/details/0/@type").asText()).isEqualTo("type.googleapis.com/google.rpc.Status");
            assertThat(duplicate.at("/details/0/message").asText()).contains("TAKEN");

            api.get(V2_PATH + "?page_size=-1").error(V2, 400, 3);
            api.get(V2_PATH + "?page_size=ten").error(V2, 400, 3);
            api.get(V2_PATH + "?sort_by=colour").error(V2, 400, 3);
            api.get(V2_PATH + "?sort_by=" + enc("name sideways")).error(V2, 400, 3);
            api.get(V2_PATH + "?filter=" + enc("{\"predicates\":[{\"key\":\"colour\",\"operation\":\"EQUALS\",\"string_value\":\"x\"}]}"))
                    .error(V2, 400, 3);
            api.get(V2_PATH + "?filter=" + enc("{not json")).error(V2, 400, 3);
            api.get(V2_PATH + "?page_token=bm90LWEtdG9rZW4").error(V2, 400, 3);

            api.get(V2_PATH + "/no-such-id").error(V2, 404, 5);
            api.delete(V2_PATH + "/no-such-id").error(V2, 404, 5);
            api.post(V2_PATH + "/no-such-id:archive", null).error(V2, 404, 5);
            api.post(V2_PATH + "/no-such-id:unarchive", null).error(V2, 404, 5);
            String defaultId = api.get(V2_PATH + "?filter=" + enc("{\"predicates\":[{\"key\":\"name\",\"operation\":\"EQUALS\",\"string_value\":\"Default\"}]}"))
                    .ok(V2, "v2beta1ListExperimentsResponse", "/experiments/0/experiment_id").at("/experiments/0/experiment_id").asText();
            api.delete(V2_PATH + "/" + defaultId).error(V2, 409, 10);

            JsonNode notFound = api.get("/apis/v2beta1/no-such-route").error(V2, 404, 5);
            assertThat(notFound.get("message").asText()).isEqualTo("Not Found");
            JsonNode wrongVerb = api.send("PUT", V2_PATH, "{}", "application/json").error(V2, 501, 12);
            assertThat(wrongVerb.get("message").asText()).isEqualTo("Method Not Allowed");

            assertThat(db.count("experiments")).as("nothing written by a bad request").isEqualTo(rows);
            assertThat(api.get(V2_PATH + "/" + defaultId).ok(V2, "v2beta1Experiment").get("display_name").asText()).isEqualTo("Default");
        }
    }

    @OnEachDatabase
    void bodiesAreJsonWhateverTheirContentType(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            // curl -d sends application/x-www-form-urlencoded; grpc-gateway reads the body as JSON anyway
            api.send("POST", V2_PATH, "{\"display_name\":\"curl\"}", "application/x-www-form-urlencoded")
                    .ok(V2, "v2beta1Experiment", "experiment_id");
            api.send("POST", V2_PATH, "{\"display_name\":\"bare\"}", null).ok(V2, "v2beta1Experiment", "experiment_id");
        }
    }

    @OnEachDatabase
    void v2OverGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            ExperimentServiceBlockingStub grpc = api.grpc(ExperimentServiceBlockingStub.class);
            Experiment created = grpc.createExperiment(CreateExperimentRequest.newBuilder()
                    .setExperiment(Experiment.newBuilder().setDisplayName("grpc").setDescription("d")).build());
            assertThat(created.getExperimentId()).isNotEmpty();
            assertThat(created.getStorageState()).isEqualTo(Experiment.StorageState.AVAILABLE);
            assertThat(created.getLastRunCreatedAt().getSeconds()).isZero();
            assertThat(grpc.getExperiment(GetExperimentRequest.newBuilder().setExperimentId(created.getExperimentId()).build()))
                    .isEqualTo(created);

            List<String> names = new ArrayList<>();
            String token = "";
            do {
                ListExperimentsResponse page = grpc.listExperiments(ListExperimentsRequest.newBuilder()
                        .setPageSize(1).setSortBy("name").setPageToken(token).build());
                assertThat(page.getTotalSize()).isEqualTo(2);
                page.getExperimentsList().forEach(e -> names.add(e.getDisplayName()));
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            assertThat(names).containsExactly("Default", "grpc");

            grpc.archiveExperiment(ArchiveExperimentRequest.newBuilder().setExperimentId(created.getExperimentId()).build());
            assertThat(grpc.getExperiment(GetExperimentRequest.newBuilder().setExperimentId(created.getExperimentId()).build())
                    .getStorageState()).isEqualTo(Experiment.StorageState.ARCHIVED);
            grpc.unarchiveExperiment(UnarchiveExperimentRequest.newBuilder().setExperimentId(created.getExperimentId()).build());

            StatusRuntimeException duplicate = catchThrowableOfType(StatusRuntimeException.class, () -> grpc.createExperiment(
                    CreateExperimentRequest.newBuilder().setExperiment(Experiment.newBuilder().setDisplayName("GRPC")).build()));
            assertThat(duplicate.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            com.google.rpc.Status details = duplicate.getTrailers().get(ApiErrors.DETAILS);
            assertThat(details.getDetailsCount()).isEqualTo(1);
            assertThat(details.getDetails(0).getTypeUrl()).isEqualTo("type.googleapis.com/google.rpc.Status");

            assertThat(code(() -> grpc.createExperiment(CreateExperimentRequest.newBuilder()
                    .setExperiment(Experiment.newBuilder().setDisplayName("x".repeat(129))).build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createExperiment(CreateExperimentRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.getExperiment(GetExperimentRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.listExperiments(ListExperimentsRequest.newBuilder().setPageSize(-5).build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.listExperiments(ListExperimentsRequest.newBuilder().setFilter("{oops").build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.deleteExperiment(DeleteExperimentRequest.newBuilder().setExperimentId("nope").build())))
                    .isEqualTo(Status.Code.NOT_FOUND);
            assertThat(code(() -> grpc.archiveExperiment(ArchiveExperimentRequest.newBuilder().setExperimentId("nope").build())))
                    .isEqualTo(Status.Code.NOT_FOUND);

            grpc.deleteExperiment(DeleteExperimentRequest.newBuilder().setExperimentId(created.getExperimentId()).build());
            assertThat(code(() -> grpc.getExperiment(GetExperimentRequest.newBuilder().setExperimentId(created.getExperimentId()).build())))
                    .isEqualTo(Status.Code.NOT_FOUND);
            assertThat(db.count("experiments")).isEqualTo(1); // the default one
        }
    }

    @OnEachDatabase
    void v1OverGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            var grpc = api.grpc(kfp.server.proto.v1beta1.ExperimentServiceGrpc.ExperimentServiceBlockingStub.class);
            var created = grpc.createExperimentV1(kfp.server.proto.v1beta1.CreateExperimentRequest.newBuilder()
                    .setExperiment(kfp.server.proto.v1beta1.Experiment.newBuilder().setName("v1").addResourceReferences(
                            ResourceReference.newBuilder().setKey(ResourceKey.newBuilder().setType(ResourceType.NAMESPACE).setId("ns"))))
                    .build());
            assertThat(created.getResourceReferences(0).getKey().getId()).isEmpty(); // single-user
            var list = grpc.listExperimentsV1(kfp.server.proto.v1beta1.ListExperimentsRequest.newBuilder()
                    .setFilter(enc("{\"predicates\":[{\"key\":\"name\",\"op\":\"EQUALS\",\"string_value\":\"V1\"}]}")).build());
            assertThat(list.getExperimentsList()).extracting(kfp.server.proto.v1beta1.Experiment::getId).containsExactly(created.getId());
            grpc.archiveExperimentV1(kfp.server.proto.v1beta1.ArchiveExperimentRequest.newBuilder().setId(created.getId()).build());
            grpc.unarchiveExperimentV1(kfp.server.proto.v1beta1.UnarchiveExperimentRequest.newBuilder().setId(created.getId()).build());
            grpc.deleteExperimentV1(kfp.server.proto.v1beta1.DeleteExperimentRequest.newBuilder().setId(created.getId()).build());
            assertThat(code(() -> grpc.getExperimentV1(kfp.server.proto.v1beta1.GetExperimentRequest.newBuilder()
                    .setId(created.getId()).build()))).isEqualTo(Status.Code.NOT_FOUND);
        }
    }

    private static Status.Code code(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static List<String> names(JsonNode list, String field) {
        List<String> names = new ArrayList<>();
        list.path("experiments").forEach(e -> names.add(e.get(field).asText()));
        return names;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
