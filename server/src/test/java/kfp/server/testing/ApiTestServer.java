package kfp.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import kfp.server.ApiServer;
import kfp.server.config.ServerSettings;
import kfp.store.guice.StoreOptions;
import kfp.store.testing.TestDatabase;

/**
 * The API server on free ports over a test database, with a real HTTP client (port 8888's role)
 * and real gRPC stubs (port 8887's role, stubs generated from the same protos).
 *
 * <pre>
 * try (ApiTestServer api = ApiTestServer.start(db)) {
 *     JsonNode e = api.post("/apis/v2beta1/experiments", "{\"display_name\":\"a\"}")
 *             .ok(SwaggerValidator.V2, "v2beta1Experiment", "experiment_id");
 *     api.get("/apis/v2beta1/experiments/nope").error(SwaggerValidator.V2, 404, 5);
 *     ExperimentServiceBlockingStub grpc = api.grpc(ExperimentServiceBlockingStub.class);
 * }
 * </pre>
 */
public final class ApiTestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private ApiTestServer(ApiServer server) {
        this.server = server;
    }

    /** Starts a server over {@code db} (migrating it if needed) and waits until it serves the API. */
    public static ApiTestServer start(TestDatabase db) {
        return new ApiTestServer(ApiServer.start(ServerSettings.of(0, 0, "test-sha", "test-tag"),
                StoreOptions.connect(db.config())));
    }

    public ApiServer server() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    /** A blocking stub of a generated gRPC service, connected to the gRPC port. */
    public <T> T grpc(Class<T> stubType) {
        return GrpcClients.builder("http://127.0.0.1:" + server.rpcPort()).build(stubType);
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** A multipart/form-data POST with one file part, as KFP's UI and SDK upload pipeline files. */
    public Response upload(String path, String field, String fileName, byte[] content) {
        String boundary = "kfp-test-boundary-7d1c";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return sendBytes("POST", path, body.toByteArray(), "multipart/form-data; boundary=" + boundary);
    }

    /** Any request with a binary body. */
    public Response sendBytes(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return exchange(method + " " + path, b);
    }

    /** Any request: {@code body} null sends none; {@code contentType} null sends no Content-Type. */
    public Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return exchange(method + " " + path, b);
    }

    private Response exchange(String request, HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(request, r.statusCode(), r.body(),
                    r.headers().firstValue("content-type").orElse(""));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** An HTTP answer; {@link #ok} and {@link #error} check status, content type and swagger in one call. */
    public record Response(String request, int status, String body, String contentType) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(request + " answered " + status + " with a body that is not JSON: " + body, e);
            }
        }

        /** 200 with a JSON body matching {@code definition}, holding the {@code expected} properties. */
        public JsonNode ok(SwaggerValidator swagger, String definition, String... expected) {
            expectStatus(200);
            return swagger.check(definition, json(), expected);
        }

        /** As {@link #ok(SwaggerValidator, String, String...)}, allowing undocumented top-level {@code extras}. */
        public JsonNode ok(SwaggerValidator swagger, String definition, java.util.Set<String> extras, String... expected) {
            expectStatus(200);
            return swagger.check(definition, json(), extras, expected);
        }

        /** 200 with {@code {}} (methods answering google.protobuf.Empty). */
        public JsonNode empty(SwaggerValidator swagger) {
            expectStatus(200);
            return swagger.checkEmpty(json());
        }

        /** An error: this HTTP status, a googleRpcStatus body with this gRPC code. */
        public JsonNode error(SwaggerValidator swagger, int httpStatus, int grpcCode) {
            expectStatus(httpStatus);
            JsonNode body = swagger.checkError(json());
            if (body.get("code").asInt() != grpcCode) {
                throw new AssertionError(request + ": expected code " + grpcCode + " but got " + body);
            }
            if (body.toString().contains("\tat ") || body.toString().contains("Exception")) {
                throw new AssertionError(request + ": the error body leaks internals: " + body);
            }
            return body;
        }

        private void expectStatus(int expected) {
            if (status != expected) {
                throw new AssertionError(request + ": expected HTTP " + expected + " but got " + status + " " + body);
            }
            if (!contentType.contains("json")) {
                throw new AssertionError(request + ": expected a JSON content type but got '" + contentType + "'");
            }
        }
    }
}
