package kfp.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The execution cache key of an Argo step, computed as KFP's cache server does, so that rows KFP
 * wrote still hit: parse the {@code ARGO_TEMPLATE} JSON, keep only what decides the step's result
 * ({@code container.image/command/args/env/volumeMounts}, {@code inputs}, {@code outputs},
 * {@code volumes}, {@code initContainers}, {@code sidecars}), re-encode it as Go's {@code json.Marshal}
 * does ({@link GoJson}) and hash: lowercase hex SHA-256.
 */
final class CacheKey {

    /** What of the template is kept: null keeps the whole value, a map keeps only its names. */
    private static final Map<String, Object> SKELETON;

    static {
        Map<String, Object> container = new LinkedHashMap<>();
        for (String name : new String[] {"image", "command", "args", "env", "volumeMounts"}) {
            container.put(name, null);
        }
        Map<String, Object> skeleton = new LinkedHashMap<>();
        skeleton.put("container", container);
        for (String name : new String[] {"inputs", "outputs", "volumes", "initContainers", "sidecars"}) {
            skeleton.put(name, null);
        }
        SKELETON = skeleton;
    }

    private CacheKey() {
    }

    /**
     * The key, or empty when the template is not a JSON object (or null) or its {@code container} is
     * not an object: KFP gives no key then (or panics on the latter), and the pod is left alone.
     */
    static Optional<String> fromTemplate(String template) {
        Object parsed;
        try {
            parsed = GoJson.parse(template);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (parsed != null && !(parsed instanceof Map)) {
            return Optional.empty();
        }
        Map<?, ?> source = parsed == null ? Map.of() : (Map<?, ?>) parsed; // Go: null decodes to a nil map
        Map<String, Object> kept = intersect(source, SKELETON);
        return kept == null ? Optional.empty() : Optional.of(sha256Hex(GoJson.marshal(kept)));
    }

    /** The parts of {@code source} named by {@code skeleton}; null when a nested part is not an object. */
    private static Map<String, Object> intersect(Map<?, ?> source, Map<String, Object> skeleton) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : skeleton.entrySet()) {
            if (!source.containsKey(e.getKey())) {
                continue;
            }
            Object value = source.get(e.getKey());
            if (e.getValue() == null) {
                result.put(e.getKey(), value);
            } else if (value instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nestedSkeleton = (Map<String, Object>) e.getValue();
                Map<String, Object> part = intersect(nested, nestedSkeleton);
                if (part == null) {
                    return null;
                }
                result.put(e.getKey(), part);
            } else {
                return null;
            }
        }
        return result;
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
