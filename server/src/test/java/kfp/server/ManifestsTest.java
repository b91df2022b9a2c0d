package kfp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kfp.store.config.DatabaseConfig;
import kfp.store.config.DatabaseConfig.Vendor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kustomize overlays configure the servers as intended: each overlay is rendered with
 * {@code kubectl kustomize}, the API server's environment is resolved from the rendered ConfigMap
 * and Secrets exactly as Kubernetes would, and read by the server's own configuration code.
 * Skipped where kubectl is not installed.
 */
class ManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)");

    @ParameterizedTest
    @CsvSource({
            "mysql,      MYSQL,      jdbc:mysql://mysql:3306/mlpipeline",
            "postgresql, POSTGRESQL, jdbc:postgresql://postgres-service:5432/mlpipeline"})
    void overlayConfiguresTheApiServer(String overlay, Vendor vendor, String jdbcUrl) throws Exception {
        List<JsonNode> objects = render(overlay);
        JsonNode apiServer = container(objects, "ml-pipeline", "ml-pipeline-api-server");
        DatabaseConfig config = DatabaseConfig.fromApiServerEnvironment(environment(objects, apiServer));
        assertThat(config.vendor()).isEqualTo(vendor);
        assertThat(config.jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(config.user()).isEqualTo("kfp"); // the least-privileged user the db-init Job creates
        assertThat(objects).anySatisfy(o -> assertThat(o.at("/kind").asText() + "/" + o.at("/metadata/name").asText())
                .isEqualTo("Job/kfp-db-init"));
    }

    @ParameterizedTest
    @CsvSource({"mysql, mysql", "postgresql, pgx"})
    void overlayGivesTheCacheServerEveryFlagItNames(String overlay, String driver) throws Exception {
        List<JsonNode> objects = render(overlay);
        JsonNode cache = container(objects, "cache-server", "server");
        Map<String, String> env = environment(objects, cache);
        List<String> args = new ArrayList<>();
        for (JsonNode arg : cache.get("args")) {
            Matcher m = VAR.matcher(arg.asText());
            StringBuilder expanded = new StringBuilder();
            while (m.find()) {
                assertThat(env).as("variable of " + arg.asText()).containsKey(m.group(1));
                m.appendReplacement(expanded, Matcher.quoteReplacement(env.get(m.group(1))));
            }
            m.appendTail(expanded);
            args.add(expanded.toString());
        }
        assertThat(args).contains("--db_driver=" + driver, "--db_name=cachedb", "--db_user=kfp", "--listen_port=8443");
    }

    private static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        assumeThat(onPath("kubectl")).as("kubectl on PATH").isTrue();
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("manifests").resolve(overlay);
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
            it.forEachRemaining(objects::add);
        }
        return objects;
    }

    private static JsonNode container(List<JsonNode> objects, String deployment, String name) {
        for (JsonNode o : objects) {
            if (o.at("/kind").asText().equals("Deployment") && o.at("/metadata/name").asText().equals(deployment)) {
                for (JsonNode c : o.at("/spec/template/spec/containers")) {
                    if (c.get("name").asText().equals(name)) {
                        return c;
                    }
                }
            }
        }
        throw new AssertionError("no container " + name + " in Deployment " + deployment);
    }

    /** The container's environment as Kubernetes resolves it from literal values, ConfigMaps and Secrets. */
    private static Map<String, String> environment(List<JsonNode> objects, JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : container.get("env")) {
            String name = e.get("name").asText();
            if (e.has("value")) {
                env.put(name, e.get("value").asText());
            } else if (e.at("/valueFrom/configMapKeyRef").isObject()) {
                JsonNode ref = e.at("/valueFrom/configMapKeyRef");
                env.put(name, object(objects, "ConfigMap", ref.get("name").asText()).at("/data/" + ref.get("key").asText()).asText());
            } else if (e.at("/valueFrom/secretKeyRef").isObject()) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                String b64 = object(objects, "Secret", ref.get("name").asText()).at("/data/" + ref.get("key").asText()).asText();
                env.put(name, new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
            } else if (e.at("/valueFrom/fieldRef").isObject()) {
                env.put(name, "kubeflow");
            }
        }
        return env;
    }

    private static JsonNode object(List<JsonNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> o.at("/kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
