package kfp.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Starts a server the way its container image does, with no container engine: either its packaged
 * jar with the image's JVM flags, dependencies and main class ({@link #startJar}), or the image
 * itself ({@link #startImage}): the OCI tarball's layers unpacked into a root directory and its
 * entry point run there, with the image's environment and working directory, in new user, mount
 * and PID namespaces ({@code unshare}, util-linux), its /proc mounted as a container runtime would.
 */
public final class EntryPoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EntryPoint() {
    }

    /** The JVM flags the build gives the image (failsafe passes them from pom.xml). */
    public static List<String> imageJvmFlags() {
        String flags = System.getProperty("kfp.image.jvm-flags", "");
        assertThat(flags).as("kfp.image.jvm-flags from pom.xml").isNotBlank();
        return Arrays.asList(flags.split(","));
    }

    /** The packaged jar (failsafe passes its path). */
    public static Path jar() {
        return Path.of(System.getProperty("kfp.image.jar"));
    }

    /** The image tarball of this build, or null when the images were not built (-Pimages). */
    public static Path imageTar() {
        String tar = System.getProperty("kfp.image.tar", "");
        return tar.isBlank() ? null : Path.of(tar);
    }

    /**
     * {@code java <image JVM flags> -cp <jar>:<its Class-Path> <its Main-Class> <args>}: the same jar,
     * the same dependency jars in the same order and the same main class as the image's entry point.
     */
    public static Process startJar(Path jar, List<String> args, Map<String, String> env, Path workDir) throws IOException {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        }
        List<String> classPath = new ArrayList<>(List.of(jar.toString()));
        for (String entry : manifest.getMainAttributes().getValue("Class-Path").trim().split("\\s+")) {
            classPath.add(jar.resolveSibling(entry).toString());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(imageJvmFlags());
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), manifest.getMainAttributes().getValue("Main-Class")));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return start(pb, workDir);
    }

    /** The image's config (Env, Entrypoint, User, WorkingDir, Labels, …) from an OCI image tarball. */
    public static JsonNode config(Path ociTar, Path scratch) throws IOException, InterruptedException {
        Path layout = unpackLayout(ociTar, scratch);
        JsonNode manifest = blob(layout, JSON.readTree(layout.resolve("index.json").toFile()).at("/manifests/0/digest").asText());
        return blob(layout, manifest.at("/config/digest").asText());
    }

    /** Unpacks the image into {@code scratch}/root and runs its entry point there, with {@code args} as its command. */
    public static Process startImage(Path ociTar, List<String> args, Path scratch) throws IOException, InterruptedException {
        Path layout = unpackLayout(ociTar, scratch);
        JsonNode manifest = blob(layout, JSON.readTree(layout.resolve("index.json").toFile()).at("/manifests/0/digest").asText());
        JsonNode config = blob(layout, manifest.at("/config/digest").asText()).path("config");
        Path root = Files.createDirectories(scratch.resolve("root"));
        for (JsonNode layer : manifest.path("layers")) {
            run(List.of("tar", "-xzf", blobPath(layout, layer.get("digest").asText()).toString(), "-C", root.toString()));
        }
        Files.createDirectories(root.resolve("proc"));
        List<String> command = new ArrayList<>(List.of("unshare", "--map-root-user", "--fork", "--pid", "--mount-proc",
                "--kill-child", "--root=" + root, "--wd=" + config.path("WorkingDir").asText("/")));
        config.path("Entrypoint").forEach(a -> command.add(a.asText()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(scratch.toFile());
        pb.environment().clear();
        Map<String, String> env = new LinkedHashMap<>();
        config.path("Env").forEach(e -> env.put(e.asText().substring(0, e.asText().indexOf('=')),
                e.asText().substring(e.asText().indexOf('=') + 1)));
        pb.environment().putAll(env);
        return start(pb, scratch);
    }

    /** Polls {@code url} until it answers {@code status} (or fails with the process's output). */
    public static HttpResponse<String> await(Process process, String url, int status, Path logDir) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " answered " + (last == null ? "nothing" : last.statusCode() + " " + last.body())
                + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; output:\n" + output(logDir));
    }

    public static String output(Path logDir) throws IOException {
        Path log = logDir.resolve("entrypoint.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process start(ProcessBuilder pb, Path logDir) throws IOException {
        File log = logDir.resolve("entrypoint.log").toFile();
        return pb.redirectErrorStream(true).redirectOutput(log).start();
    }

    private static Path unpackLayout(Path ociTar, Path scratch) throws IOException, InterruptedException {
        Path layout = scratch.resolve("layout");
        if (!Files.exists(layout.resolve("index.json"))) {
            Files.createDirectories(layout);
            run(List.of("tar", "-xf", ociTar.toString(), "-C", layout.toString()));
        }
        return layout;
    }

    private static JsonNode blob(Path layout, String digest) throws IOException {
        return JSON.readTree(blobPath(layout, digest).toFile());
    }

    private static Path blobPath(Path layout, String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
