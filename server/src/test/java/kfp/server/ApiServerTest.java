package kfp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import kfp.store.guice.StoreOptions;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** The server starts over each database (migrating it) and answers KFP's healthz shapes. */
@StoreTest(schemas = {})
class ApiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @OnEachDatabase
    void migratesAnEmptyDatabaseAndAnswersHealthz(TestDatabase db) throws Exception {
        ServerSettings settings = new ServerSettings(0, false, "abc123", "2.5.0");
        ApiServer server = ApiServerMain.start(settings, StoreOptions.connect(db.config()));
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.httpPort();

            HttpResponse<String> v2 = http.send(HttpRequest.newBuilder(URI.create(base + "/apis/v2beta1/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(v2.statusCode()).isEqualTo(200);
            assertThat(v2.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).contains("json"));
            JsonNode body = JSON.readTree(v2.body());
            assertThat(body.get("commit_sha").asText()).isEqualTo("abc123");
            assertThat(body.get("tag_name").asText()).isEqualTo("2.5.0");
            assertThat(body.get("multi_user").asBoolean()).isFalse();
            assertThat(body.get("pipeline_store").asText()).isEqualTo("database");

            HttpResponse<String> v1 = http.send(HttpRequest.newBuilder(URI.create(base + "/apis/v1beta1/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(v1.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(v1.body()).has("pipeline_store")).isFalse();

            // the start-up rows KFP's servers expect are there
            assertThat(db.count("db_statuses")).isEqualTo(1);
            assertThat(db.count("default_experiments")).isEqualTo(1);
        } finally {
            server.stop();
        }
    }
}
