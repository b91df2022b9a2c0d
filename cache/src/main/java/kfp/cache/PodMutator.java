package kfp.cache;

import static kfp.cache.PodLabels.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import kfp.store.api.ExecutionCache;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KFP's admission logic for a pod being created (its {@code MutatePodIfCached}): which pods
 * are left alone, the cache key and staleness, and the JSON patch for a hit (the step's recorded
 * outputs and a placeholder container) or a miss (the key annotation and an empty cache_id label).
 */
@Singleton
final class PodMutator {

    private static final Logger LOG = LoggerFactory.getLogger(PodMutator.class);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The admission decision: a JSON patch (possibly empty) to allow with, or the reason to refuse. */
    record Decision(ArrayNode patch, String error, String outcome) {
        static Decision allow(ArrayNode patch, String outcome) {
            return new Decision(patch, null, outcome);
        }

        static Decision deny(String error) {
            return new Decision(null, error, "error");
        }
    }

    private final ExecutionCacheStore store;
    private final CacheSettings settings;
    private final Timer lookups;

    @Inject
    PodMutator(ExecutionCacheStore store, CacheSettings settings, MeterRegistry metrics) {
        this.store = store;
        this.settings = settings;
        this.lookups = Timer.builder("kfp_cache_lookup").description("execution cache lookups").register(metrics);
    }

    Decision admit(JsonNode request) {
        ArrayNode patch = JSON.createArrayNode();
        JsonNode resource = request.path("resource");
        if (!resource.path("group").asText("").isEmpty() || !"v1".equals(resource.path("version").asText())
                || !"pods".equals(resource.path("resource").asText())) {
            LOG.info("expected resource v1 pods, got {}", resource);
            return Decision.allow(patch, "skipped");
        }
        JsonNode pod = request.get("object");
        if (pod == null || !pod.isObject()) {
            return Decision.deny("could not deserialize pod object: the request has no pod");
        }
        Map<String, String> labels = stringMap(pod.path("metadata").path("labels"));
        Map<String, String> annotations = stringMap(pod.path("metadata").path("annotations"));
        String name = pod.path("metadata").path("name").asText(pod.path("metadata").path("generateName").asText(""));
        if (!"true".equals(labels.get(CACHE_ENABLED)) || isTfxPod(pod, labels)
                || "true".equals(annotations.get(V2_COMPONENT))) {
            return Decision.allow(patch, "skipped");
        }
        Optional<String> template = argoTemplate(pod);
        Optional<String> key = template.flatMap(CacheKey::fromTemplate);
        if (key.isEmpty()) {
            LOG.info("pod {}: {}", name, template.isEmpty() ? "no ARGO_TEMPLATE" : "cannot compute a cache key from ARGO_TEMPLATE");
            return Decision.allow(patch, "skipped");
        }
        // KFP wrote into the pod's nil annotation map here and panicked on pods without annotations
        annotations.put(EXECUTION_CACHE_KEY, key.get());
        labels.put(CACHE_ID, "");

        long user = annotations.containsKey(MAX_CACHE_STALENESS) ? Staleness.toSeconds(annotations.get(MAX_CACHE_STALENESS)) : -1;
        long maximum = settings.maximumStalenessSeconds();
        long staleness = user < 0 ? settings.defaultStalenessSeconds() : user;
        if (maximum >= 0 && staleness > maximum) {
            staleness = maximum;
        }
        Optional<ExecutionCache> hit = lookup(key.get(), staleness, maximum);
        if (hit.isPresent()) {
            ExecutionCache cached = hit.get();
            annotations.put(ARGO_OUTPUTS, valueOf(cached.executionOutput(), ARGO_OUTPUTS));
            labels.put(CACHE_ID, Long.toString(cached.id()));
            labels.put(REUSED_FROM_CACHE, "true");
            labels.put(METADATA_EXECUTION_ID, valueOf(cached.executionOutput(), METADATA_EXECUTION_ID));
            labels.put(METADATA_WRITTEN, "true");
            patch.add(op("replace", "/spec/containers").set("value", JSON.createArrayNode().add(placeholderContainer())));
            JsonNode spec = pod.path("spec");
            if (!settings.nodeRestrictions()) {
                if (isPresent(spec, "affinity")) {
                    patch.add(op("remove", "/spec/affinity"));
                }
                if (isPresent(spec, "nodeSelector")) {
                    patch.add(op("remove", "/spec/nodeSelector"));
                }
            }
            if (isPresent(spec, "initContainers")) {
                patch.add(op("remove", "/spec/initContainers"));
            }
        }
        patch.add(op("add", "/metadata/annotations").set("value", JSON.valueToTree(annotations)));
        patch.add(op("add", "/metadata/labels").set("value", JSON.valueToTree(labels)));
        return Decision.allow(patch, hit.isPresent() ? "hit" : "miss");
    }

    /** KFP logs a failed lookup and carries on as a miss: the pod runs. */
    private Optional<ExecutionCache> lookup(String key, long staleness, long maximum) {
        try {
            return lookups.record(() -> store.getExecutionCache(key, staleness, maximum));
        } catch (StoreException e) {
            LOG.warn("cache lookup for key {} failed, treating it as a miss: {}", key, e.getMessage());
            return Optional.empty();
        }
    }

    private ObjectNode placeholderContainer() {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", "main");
        c.put("image", settings.cacheImage());
        c.set("command", JSON.createArrayNode().add("echo").add("\"This step output is taken from cache.\""));
        c.putObject("resources").putObject("requests").put("cpu", "10m").put("memory", "16Mi");
        return c;
    }

    /** TFX pods cache by themselves: sdk-type label containing "tfx", no containers, or TFX's entrypoint in "main". */
    private static boolean isTfxPod(JsonNode pod, Map<String, String> labels) {
        if (labels.getOrDefault(SDK_TYPE, "").contains("tfx")) {
            return true;
        }
        JsonNode containers = pod.path("spec").path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            return true;
        }
        JsonNode main = null;
        int mains = 0;
        for (JsonNode c : containers) {
            if ("main".equals(c.path("name").asText())) {
                main = c;
                mains++;
            }
        }
        if (mains != 1) {
            return false;
        }
        JsonNode command = main.path("command");
        return command.isArray() && !command.isEmpty()
                && command.get(command.size() - 1).asText().endsWith(TFX_ENTRYPOINT_SUFFIX);
    }

    /** The ARGO_TEMPLATE variable of the pod's first container. */
    static Optional<String> argoTemplate(JsonNode pod) {
        for (JsonNode env : pod.path("spec").path("containers").path(0).path("env")) {
            if (ARGO_TEMPLATE_ENV.equals(env.path("name").asText())) {
                return Optional.of(env.path("value").asText(""));
            }
        }
        return Optional.empty();
    }

    /** A string value of the stored output JSON, or "" (KFP's getValueFromSerializedMap). */
    static String valueOf(String serializedMap, String name) {
        try {
            Object parsed = GoJson.parse(serializedMap);
            return parsed instanceof Map<?, ?> m && m.get(name) instanceof String s ? s : "";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean isPresent(JsonNode spec, String field) {
        return spec.has(field) && !spec.get(field).isNull();
    }

    private static ObjectNode op(String op, String path) {
        return JSON.createObjectNode().put("op", op).put("path", path);
    }

    /** Labels and annotations, sorted as Go marshals them. */
    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new TreeMap<>(GoJson.KEY_ORDER);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asText(""));
        }
        return map;
    }
}
