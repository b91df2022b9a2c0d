package kfp.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The kustomize overlays under {@code manifests/}, rendered with {@code kubectl kustomize} as
 * {@code kubectl apply -k} would, and what a container gets from them: its environment resolved
 * from literal values, ConfigMaps and Secrets as Kubernetes resolves it, and its arguments with
 * {@code $(VAR)} expanded. kubectl must be installed ({@code .ci/run} installs it): its absence
 * fails the tests that render.
 */
public final class Manifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z0-9_]+)\\)");
    /** What a fieldRef resolves to here: every overlay installs into this namespace. */
    public static final String NAMESPACE = "kubeflow";

    private final String overlay;
    private final List<JsonNode> objects;

    private Manifests(String overlay, List<JsonNode> objects) {
        this.overlay = overlay;
        this.objects = objects;
    }

    /** The repository's manifests folder (tests run in a module folder beside it). */
    public static Path root() {
        return Path.of(System.getProperty("user.dir")).getParent().resolve("manifests");
    }

    /** Every deployable overlay: each folder with a Kustomization, except the base it builds on. */
    public static List<String> overlays() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(p -> !read(p).contains("kind: Component"))
                    .map(p -> root().relativize(p.getParent()).toString())
                    .filter(dir -> !dir.equals("base"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Manifests render(String overlay) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", root().resolve(overlay).toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("kubectl kustomize %s: %s", overlay, out).isZero();
            List<JsonNode> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
                it.forEachRemaining(objects::add);
            }
            return new Manifests(overlay, objects);
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize " + overlay + " (is kubectl installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String overlay() {
        return overlay;
    }

    public List<JsonNode> objects() {
        return objects;
    }

    public List<JsonNode> all(String kind) {
        return objects.stream().filter(o -> o.at("/kind").asText().equals(kind)).toList();
    }

    public JsonNode object(String kind, String name) {
        return all(kind).stream().filter(o -> o.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    /** Every container of every Deployment and Job (init containers included), with its workload. */
    public List<Map.Entry<JsonNode, JsonNode>> containers() {
        List<Map.Entry<JsonNode, JsonNode>> all = new ArrayList<>();
        for (JsonNode o : objects) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : o.at("/spec/template/spec/" + list)) {
                    all.add(new AbstractMap.SimpleImmutableEntry<>(o, c));
                }
            }
        }
        return all;
    }

    public JsonNode container(String deployment, String name) {
        for (JsonNode c : object("Deployment", deployment).at("/spec/template/spec/containers")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(overlay + ": no container " + name + " in Deployment " + deployment);
    }

    /** The container's environment as Kubernetes resolves it; a fieldRef gives {@link #NAMESPACE}. */
    public Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = e.get("name").asText();
            if (e.has("value")) {
                env.put(name, e.get("value").asText());
            } else if (e.at("/valueFrom/configMapKeyRef").isObject()) {
                JsonNode ref = e.at("/valueFrom/configMapKeyRef");
                JsonNode value = object("ConfigMap", ref.get("name").asText()).at("/data/" + ref.get("key").asText());
                assertThat(value.isMissingNode()).as("%s: ConfigMap key of %s", overlay, name).isFalse();
                env.put(name, value.asText());
            } else if (e.at("/valueFrom/secretKeyRef").isObject()) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                env.put(name, secret(ref.get("name").asText()).get(ref.get("key").asText()));
                assertThat(env.get(name)).as("%s: Secret key of %s", overlay, name).isNotNull();
            } else if (e.at("/valueFrom/fieldRef").isObject()) {
                env.put(name, NAMESPACE);
            } else {
                env.put(name, "");
            }
        }
        return env;
    }

    /** A Secret's data, decoded. */
    public Map<String, String> secret(String name) {
        Map<String, String> data = new LinkedHashMap<>();
        object("Secret", name).path("data").fields().forEachRemaining(f ->
                data.put(f.getKey(), new String(Base64.getDecoder().decode(f.getValue().asText()), StandardCharsets.UTF_8)));
        object("Secret", name).path("stringData").fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
        return data;
    }

    /** The container's arguments with {@code $(VAR)} expanded from its environment (each must be defined). */
    public List<String> args(JsonNode container) {
        Map<String, String> env = environment(container);
        List<String> args = new ArrayList<>();
        for (JsonNode arg : container.path("args")) {
            Matcher m = VAR.matcher(arg.asText());
            StringBuilder expanded = new StringBuilder();
            while (m.find()) {
                assertThat(env).as("%s: variable of %s", overlay, arg.asText()).containsKey(m.group(1));
                m.appendReplacement(expanded, Matcher.quoteReplacement(env.get(m.group(1))));
            }
            m.appendTail(expanded);
            args.add(expanded.toString());
        }
        return args;
    }

    /** Names of the variables the container's arguments and command refer to as {@code $(VAR)}. */
    public static Set<String> referencedVariables(JsonNode container) {
        Set<String> names = new TreeSet<>();
        for (String field : List.of("args", "command")) {
            for (JsonNode arg : container.path(field)) {
                Matcher m = VAR.matcher(arg.asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /**
     * Every variable the container is given is read by the server (as {@code recording} saw its
     * configuration code read them) or used in a flag, and every variable the server reads is
     * given, here or, for {@code setByTheImage}, by its image.
     */
    public void assertServerReadsExactlyWhatItIsGiven(JsonNode container, RecordingEnvironment recording, Set<String> setByTheImage) {
        Map<String, String> env = environment(container);
        Set<String> unread = new TreeSet<>(env.keySet());
        unread.removeAll(recording.read());
        unread.removeAll(referencedVariables(container));
        assertThat(unread).as("%s: variables set but neither read nor used in a flag", overlay).isEmpty();
        Set<String> unset = new TreeSet<>(recording.read());
        unset.removeAll(env.keySet());
        unset.removeAll(setByTheImage);
        assertThat(unset).as("%s: variables read but not set", overlay).isEmpty();
    }

    /** The container port a probe or Service names (by name or number). */
    public static int containerPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.get("containerPort").asInt();
            }
        }
        throw new AssertionError("no port " + port + " in container " + container.get("name"));
    }

    /**
     * An environment that records which variables are looked up, so a test can compare what a
     * server's configuration code reads with what a manifest sets.
     */
    public static final class RecordingEnvironment extends AbstractMap<String, String> {
        private final Map<String, String> values;
        private final Set<String> read = new TreeSet<>();

        public RecordingEnvironment(Map<String, String> values) {
            this.values = Map.copyOf(values);
        }

        public Set<String> read() {
            return read;
        }

        @Override
        public String get(Object key) {
            read.add((String) key);
            return values.get(key);
        }

        @Override
        public String getOrDefault(Object key, String fallback) {
            read.add((String) key);
            return values.getOrDefault(key, fallback);
        }

        @Override
        public boolean containsKey(Object key) {
            read.add((String) key);
            return values.containsKey(key);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            throw new UnsupportedOperationException("a server reads variables by name");
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
