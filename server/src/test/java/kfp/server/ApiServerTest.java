package kfp.server;

import static kfp.server.testing.SwaggerValidator.V1;
import static kfp.server.testing.SwaggerValidator.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kfp.server.config.ServerSettings;
import kfp.server.proto.v2beta1.ExperimentServiceGrpc.ExperimentServiceBlockingStub;
import kfp.server.proto.v2beta1.ListExperimentsRequest;
import kfp.server.testing.ApiTestServer;
import kfp.store.config.ConfigurationException;
import kfp.store.guice.StoreOptions;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * The server's frame over each database: it listens before it connects (healthz alive, API and
 * readyz unavailable), migrates an empty database, answers KFP's healthz shapes, reports
 * Prometheus metrics and gRPC reflection, and refuses a port in use.
 */
@StoreTest(schemas = {})
class ApiServerTest {

    private static final Set<String> HEALTHZ_EXTRAS = Set.of("commit_sha", "tag_name"); // KFP's handler adds them

    @OnEachDatabase
    void listensFirstThenMigratesAndServes(TestDatabase db) throws Exception {
        ServerSettings settings = ServerSettings.of(0, 0, "abc123", "2.5.0");
        ApiServer server = ApiServer.listen(settings, StoreOptions.connect(db.config()));
        try {
            String base = "http://127.0.0.1:" + server.httpPort();
            // before the database: alive, not ready, API calls Unavailable on both transports
            assertThat(get(base + "/apis/v1beta1/healthz").statusCode()).isEqualTo(200);
            assertThat(get(base + "/readyz").statusCode()).isEqualTo(503);
            HttpResponse<String> early = get(base + "/apis/v2beta1/experiments");
            assertThat(early.statusCode()).isEqualTo(503);
            assertThat(V2.checkError(new com.fasterxml.jackson.databind.ObjectMapper().readTree(early.body()))
                    .get("code").asInt()).isEqualTo(14);
            ExperimentServiceBlockingStub grpc = GrpcClients.builder("http://127.0.0.1:" + server.rpcPort())
                    .build(ExperimentServiceBlockingStub.class);
            assertThat(catchThrowableOfType(StatusRuntimeException.class,
                    () -> grpc.listExperiments(ListExperimentsRequest.getDefaultInstance())).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(db.tables(db.dataSource().getConnection())).doesNotContain("experiments");

            server.connect();

            assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);
            assertThat(grpc.listExperiments(ListExperimentsRequest.getDefaultInstance()).getTotalSize()).isEqualTo(1);
            // the start-up rows KFP's servers expect are there, with the default experiment
            assertThat(db.count("db_statuses")).isEqualTo(1);
            assertThat(db.count("default_experiments")).isEqualTo(1);
            assertThat(db.queryValue("SELECT \"Name\" FROM experiments")).isEqualTo("Default");
        } finally {
            server.stop();
        }
    }

    @OnEachDatabase
    void healthzMetricsAndReflection(TestDatabase db) throws Exception {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            JsonNode v2 = api.get("/apis/v2beta1/healthz").ok(V2, "v2beta1GetHealthzResponse", HEALTHZ_EXTRAS,
                    "commit_sha", "tag_name", "multi_user", "pipeline_store");
            assertThat(v2.get("commit_sha").asText()).isEqualTo("test-sha");
            assertThat(v2.get("tag_name").asText()).isEqualTo("test-tag");
            assertThat(v2.get("multi_user").asBoolean()).isFalse();
            assertThat(v2.get("pipeline_store").asText()).isEqualTo("database");
            JsonNode v1 = api.send("POST", "/apis/v1beta1/healthz", null, null) // any verb, as KFP
                    .ok(V1, "apiGetHealthzResponse", HEALTHZ_EXTRAS, "commit_sha", "tag_name", "multi_user");
            assertThat(v1.has("pipeline_store")).isFalse();

            api.get("/apis/v2beta1/experiments").ok(V2, "v2beta1ListExperimentsResponse");
            api.get("/apis/v2beta1/experiments/nope").error(V2, 404, 5);
            String metrics = api.get("/metrics").body();
            assertThat(metrics).containsPattern("kfp_api_requests_total\\{grpc_status=\"0\",.*method=\"ListExperiments\".*"
                    + "service=\"kubeflow.pipelines.backend.api.v2beta1.ExperimentService\"\\} 1.0");
            assertThat(metrics).containsPattern("kfp_api_requests_total\\{grpc_status=\"5\",.*method=\"GetExperiment\"");
            assertThat(metrics).contains("kfp_api_total_duration_seconds_bucket{");

            assertThat(reflectedServices(api.server().rpcPort())).contains(
                    "kubeflow.pipelines.backend.api.v2beta1.ExperimentService", "api.ExperimentService");
        }
    }

    @OnEachDatabase
    void stopLetsACallInFlightFinish(TestDatabase db) throws Exception {
        ApiTestServer api = ApiTestServer.start(db);
        String id = api.post("/apis/v2beta1/experiments", "{\"display_name\":\"busy\"}")
                .ok(V2, "v2beta1Experiment").get("experiment_id").asText();
        CompletableFuture<ApiTestServer.Response> archive;
        CompletableFuture<Void> stop;
        try (java.sql.Connection lock = db.dataSource().getConnection()) {
            lock.setAutoCommit(false); // hold the experiment's row: the archive call waits for it
            try (java.sql.PreparedStatement ps = lock.prepareStatement(
                    "UPDATE experiments SET \"Description\" = 'held' WHERE \"UUID\" = ?")) {
                ps.setString(1, id);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            archive = CompletableFuture.supplyAsync(() -> api.post("/apis/v2beta1/experiments/" + id + ":archive", null));
            Thread.sleep(1000); // the call is in flight, blocked on the row
            stop = CompletableFuture.runAsync(api::close);
            Thread.sleep(500);
            assertThat(stop).as("stop waits for the call in flight").isNotDone();
            lock.commit();
        }
        archive.get(30, TimeUnit.SECONDS).empty(V2);
        stop.get(30, TimeUnit.SECONDS);
        assertThat(db.queryValue("SELECT \"StorageState\" FROM experiments WHERE \"UUID\" = ?", id)).isEqualTo("ARCHIVED");
    }

    @OnEachDatabase
    void aPortInUseIsNamed(TestDatabase db) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            ServerSettings settings = ServerSettings.of(0, taken.getLocalPort(), "", "");
            assertThatThrownBy(() -> ApiServer.listen(settings, StoreOptions.connect(db.config())))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("cannot listen on :" + taken.getLocalPort() + " (--rpcPortFlag): the port is in use");
        }
        assertThat(db.tables(db.dataSource().getConnection())).as("nothing migrated").doesNotContain("experiments");
    }

    private static List<String> reflectedServices(int port) throws Exception {
        ServerReflectionGrpc.ServerReflectionStub stub = GrpcClients.builder("http://127.0.0.1:" + port)
                .build(ServerReflectionGrpc.ServerReflectionStub.class);
        List<String> names = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = stub.serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse r) {
                r.getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()));
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        return names;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
