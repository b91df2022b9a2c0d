package kfp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.store.testing.EntryPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server as its image runs it: with no database configured it starts on embedded H2 (in the
 * working directory) and serves healthz with the commit and tag the image sets. First the packaged
 * jar with the image's JVM flags, class path and main class; then, when the images were built
 * (-Pimages), the image itself, from its OCI tarball.
 */
class ApiServerImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJarAndCommandLineTheImageRunsServeHealthzOnH2(@TempDir Path dir) throws Exception {
        int port = freePort();
        Process server = EntryPoint.startJar(EntryPoint.jar(), List.of("--httpPortFlag=:" + port),
                Map.of("COMMIT_SHA", "0123abc", "TAG_NAME", "9.9.9"), dir);
        try {
            HttpResponse<String> healthz = EntryPoint.await(server, "http://127.0.0.1:" + port + "/apis/v1beta1/healthz", 200, dir);
            assertThat(JSON.readTree(healthz.body()).path("commit_sha").asText()).isEqualTo("0123abc");
            assertThat(JSON.readTree(healthz.body()).path("tag_name").asText()).isEqualTo("9.9.9");
        } finally {
            EntryPoint.stop(server);
        }
        assertThat(dir.resolve("data")).isDirectory(); // H2 in the working directory, as the image's /tmp
    }

    @Test
    @EnabledIfSystemProperty(named = "kfp.image.tar", matches = ".+", disabledReason = "images are built with -Pimages")
    void theImageServesHealthzOnH2WithItsCommitAndTag(@TempDir Path dir) throws Exception {
        Path tar = EntryPoint.imageTar();
        JsonNode config = EntryPoint.config(tar, dir);
        // non-root, the JVM flags of the build, the version and commit as labels and in the environment
        assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
        List<String> entrypoint = new ArrayList<>();
        config.at("/config/Entrypoint").forEach(a -> entrypoint.add(a.asText()));
        assertThat(entrypoint).startsWith("java").containsAll(EntryPoint.imageJvmFlags()).endsWith("kfp.server.ApiServerMain");
        String revision = config.at("/config/Labels/org.opencontainers.image.revision").asText();
        String version = config.at("/config/Labels/org.opencontainers.image.version").asText();
        assertThat(revision).isEqualTo(System.getProperty("kfp.image.commit")).isNotBlank();
        assertThat(version).isEqualTo(System.getProperty("kfp.image.tag"));
        List<String> env = new ArrayList<>();
        config.at("/config/Env").forEach(e -> env.add(e.asText()));
        assertThat(env).contains("COMMIT_SHA=" + revision, "TAG_NAME=" + version);

        int port = freePort();
        Process server = EntryPoint.startImage(tar, List.of("--httpPortFlag=:" + port), dir);
        try {
            HttpResponse<String> healthz = EntryPoint.await(server, "http://127.0.0.1:" + port + "/apis/v2beta1/healthz", 200, dir);
            assertThat(JSON.readTree(healthz.body()).path("commit_sha").asText()).isEqualTo(revision);
            assertThat(JSON.readTree(healthz.body()).path("tag_name").asText()).isEqualTo(version);
        } finally {
            EntryPoint.stop(server);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
