package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.store.testing.EntryPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache server as its image runs it, on embedded H2 with a certificate made at start-up: live
 * and ready. First the packaged jar with the image's JVM flags, class path and main class; then,
 * when the images were built (-Pimages), the image itself, from its OCI tarball.
 */
class CacheServerImageIT {

    @Test
    void theJarAndCommandLineTheImageRunsServeTheProbesOnH2(@TempDir Path dir) throws Exception {
        int http = freePort();
        Process server = EntryPoint.startJar(EntryPoint.jar(), args(dir.resolve("cachedb").toString(), http), Map.of(), dir);
        try {
            EntryPoint.await(server, "http://127.0.0.1:" + http + "/healthz", 200, dir);
            EntryPoint.await(server, "http://127.0.0.1:" + http + "/readyz", 200, dir);
        } finally {
            EntryPoint.stop(server);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "kfp.image.tar", matches = ".+", disabledReason = "images are built with -Pimages")
    void theImageServesTheProbesOnH2(@TempDir Path dir) throws Exception {
        JsonNode config = EntryPoint.config(EntryPoint.imageTar(), dir);
        assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
        List<String> entrypoint = new ArrayList<>();
        config.at("/config/Entrypoint").forEach(a -> entrypoint.add(a.asText()));
        assertThat(entrypoint).startsWith("java").containsAll(EntryPoint.imageJvmFlags()).endsWith("kfp.cache.CacheServerMain");
        assertThat(config.at("/config/Labels/org.opencontainers.image.revision").asText()).isEqualTo(System.getProperty("kfp.image.commit"));

        int http = freePort();
        Process server = EntryPoint.startImage(EntryPoint.imageTar(), args("/tmp/cachedb", http), dir);
        try {
            EntryPoint.await(server, "http://127.0.0.1:" + http + "/readyz", 200, dir);
        } finally {
            EntryPoint.stop(server);
        }
    }

    private static List<String> args(String h2Path, int http) throws Exception {
        return List.of("--db_driver=h2", "--db_h2_path=" + h2Path, "--tls_self_signed",
                "--listen_port=" + freePort(), "--http_port=" + http);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
