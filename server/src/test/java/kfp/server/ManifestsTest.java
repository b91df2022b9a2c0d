package kfp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kfp.server.config.ServerSettings;
import kfp.store.config.DatabaseConfig;
import kfp.store.testing.Manifests;
import kfp.store.testing.Manifests.RecordingEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay under manifests/, rendered with {@code kubectl kustomize}, configures the API server
 * as intended: its containers run the images the build produces, its environment (resolved from the
 * rendered ConfigMaps and Secrets as Kubernetes would) is read by the server's own configuration code
 * and holds nothing the server does not read, its Service and probes use the ports it listens on,
 * and no password sits in a ConfigMap. The cache server's side is {@code kfp.cache.CacheManifestsTest}.
 */
class ManifestsTest {

    private static final String OVERLAYS = "kfp.store.testing.Manifests#overlays";

    /** Set by the image, not the manifests (labels and healthz report them). */
    static final Set<String> SET_BY_THE_IMAGE = Set.of("COMMIT_SHA", "TAG_NAME");

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theServersRunTheImagesTheBuildProduces(String overlay) {
        Manifests m = Manifests.render(overlay);
        String apiServer = System.getProperty("kfp.image.apiserver");
        String cacheServer = System.getProperty("kfp.image.cache-server");
        assertThat(apiServer).as("image names from the build (pom.xml)").isNotBlank();
        assertThat(m.container("ml-pipeline", "ml-pipeline-api-server").get("image").asText()).isEqualTo(apiServer);
        assertThat(m.container("cache-server", "server").get("image").asText()).isEqualTo(cacheServer);
        String ours = apiServer.substring(0, apiServer.lastIndexOf('/') + 1);
        for (Map.Entry<JsonNode, JsonNode> c : m.containers()) {
            String image = c.getValue().get("image").asText();
            if (image.startsWith(ours)) {
                assertThat(image).as("an image of ours in %s", c.getKey().at("/metadata/name")).isIn(apiServer, cacheServer);
            } else {
                // third-party (the database servers): a fixed release, never whatever "latest" is today
                assertThat(image).as("third-party image").matches(".+:[^/:]+").doesNotEndWith(":latest");
            }
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theApiServerReadsEveryVariableItIsGivenAndIsGivenEveryVariableItReads(String overlay) {
        Manifests m = Manifests.render(overlay);
        JsonNode container = m.container("ml-pipeline", "ml-pipeline-api-server");
        RecordingEnvironment recording = new RecordingEnvironment(m.environment(container));
        DatabaseConfig database = DatabaseConfig.fromApiServerEnvironment(recording);
        ServerSettings.from(m.args(container).toArray(String[]::new), recording);
        m.assertServerReadsExactlyWhatItIsGiven(container, recording, SET_BY_THE_IMAGE);

        // the database the overlay deploys, as the least-privileged user its db-init Job creates
        boolean pg = m.object("ConfigMap", "pipeline-install-config").at("/data/dbType").asText().equals("pgx");
        assertThat(database.vendor()).isEqualTo(pg ? DatabaseConfig.Vendor.POSTGRESQL : DatabaseConfig.Vendor.MYSQL);
        assertThat(database.jdbcUrl()).isEqualTo(pg ? "jdbc:postgresql://postgres-service:5432/mlpipeline"
                : "jdbc:mysql://mysql:3306/mlpipeline");
        assertThat(database.user()).isEqualTo("kfp");
        assertThat(m.object("Job", "kfp-db-init")).isNotNull();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theServiceAndProbesUseThePortsTheApiServerListensOn(String overlay) throws Exception {
        Manifests m = Manifests.render(overlay);
        JsonNode container = m.container("ml-pipeline", "ml-pipeline-api-server");
        int http = ServerSettings.from(m.args(container).toArray(String[]::new), m.environment(container)).httpPort();
        assertThat(Manifests.containerPort(container, new com.fasterxml.jackson.databind.node.TextNode("http"))).isEqualTo(http);
        assertThat(Manifests.containerPort(container, new com.fasterxml.jackson.databind.node.TextNode("grpc"))).isEqualTo(8887);

        JsonNode service = m.object("Service", "ml-pipeline");
        Map<String, Integer> ports = new java.util.TreeMap<>();
        for (JsonNode p : service.at("/spec/ports")) {
            ports.put(p.get("name").asText() + ":" + p.get("port").asInt(), Manifests.containerPort(container, p.get("targetPort")));
        }
        assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of("http:8888", http, "grpc:8887", 8887));

        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.at("/" + probe + "/httpGet");
            assertThat(get.isObject()).as(probe).isTrue();
            assertThat(Manifests.containerPort(container, get.get("port"))).as(probe + " port").isEqualTo(http);
            assertThat(get.path("scheme").asText("HTTP")).as(probe + " scheme").isEqualTo("HTTP");
        }
        // liveness must not depend on the database (a database outage would restart every replica)
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/apis/v1beta1/healthz");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/apis/v1beta1/healthz");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        // the running server answers every probe's path
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            String path = container.at("/" + probe + "/httpGet/path").asText();
            assertThat(status(path)).as(probe + " " + path).isEqualTo(200);
        }
    }

    private static ApiServer running;

    @org.junit.jupiter.api.BeforeAll
    static void start() {
        running = ApiServer.start(ServerSettings.of(0, 0, "unknown", "unknown"), kfp.store.guice.StoreOptions.connect(
                DatabaseConfig.forJdbcUrl(DatabaseConfig.h2MemoryUrl("manifests-" + java.util.UUID.randomUUID()), "sa", "")));
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        running.stop();
    }

    private static int status(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + running.httpPort() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void noPasswordInAConfigMapOrALiteralAndTheServersSecretsHoldOnlyWhatTheyRead(String overlay) {
        Manifests m = Manifests.render(overlay);
        Set<String> secretValues = new HashSet<>();
        for (JsonNode s : m.all("Secret")) {
            m.secret(s.at("/metadata/name").asText()).forEach((k, v) -> {
                if (isSecretName(k) && !v.isEmpty()) {
                    secretValues.add(v);
                }
            });
        }
        for (JsonNode cm : m.all("ConfigMap")) {
            cm.path("data").fields().forEachRemaining(f -> {
                assertThat(isSecretName(f.getKey())).as("ConfigMap %s key %s", cm.at("/metadata/name"), f.getKey()).isFalse();
                assertThat(secretValues).as("ConfigMap %s key %s holds a Secret's value", cm.at("/metadata/name"), f.getKey())
                        .doesNotContain(f.getValue().asText());
            });
        }
        for (Map.Entry<JsonNode, JsonNode> c : m.containers()) {
            for (JsonNode e : c.getValue().path("env")) {
                if (isSecretName(e.get("name").asText())) {
                    assertThat(e.has("value")).as("%s: %s given literally", c.getKey().at("/metadata/name"), e.get("name")).isFalse();
                }
            }
        }
        // the Secrets the two servers read hold only the keys they read: no superuser password beside theirs
        for (JsonNode server : List.of(m.container("ml-pipeline", "ml-pipeline-api-server"), m.container("cache-server", "server"))) {
            Map<String, Set<String>> read = new java.util.HashMap<>();
            for (JsonNode e : server.path("env")) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                if (ref.isObject()) {
                    read.computeIfAbsent(ref.get("name").asText(), k -> new TreeSet<>()).add(ref.get("key").asText());
                }
            }
            read.forEach((secret, keys) -> assertThat(m.secret(secret).keySet()).as("keys of Secret %s", secret)
                    .containsExactlyInAnyOrderElementsOf(keys));
        }
    }

    private static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("password") || n.contains("passwd") || n.contains("secret") || n.contains("token")
                || n.equals("pwd") || n.endsWith("_pwd");
    }
}
