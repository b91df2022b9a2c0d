package kfp.store.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * A row of {@code pipelines} with its tags ({@code pipeline_tags}; empty when it has none). On
 * create the store sets the id and creation time. Names are unique per namespace, ignoring case.
 */
public record Pipeline(
        String uuid,
        long createdAtInSec,
        String name,
        String displayName,
        String description,
        PipelineStatus status,
        String namespace,
        Map<String, String> tags) {

    public Pipeline {
        uuid = uuid == null ? "" : uuid;
        name = name == null ? "" : name;
        displayName = displayName == null ? "" : displayName;
        description = description == null ? "" : description;
        status = status == null ? PipelineStatus.READY : status;
        namespace = namespace == null ? "" : namespace;
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** The columns without tags (how rows are read before their tags are attached). */
    public Pipeline(String uuid, long createdAtInSec, String name, String displayName, String description,
            PipelineStatus status, String namespace) {
        this(uuid, createdAtInSec, name, displayName, description, status, namespace, Map.of());
    }

    /** What a caller passes to create a pipeline. */
    public static Pipeline newPipeline(String name, String displayName, String description, String namespace,
            Map<String, String> tags) {
        return new Pipeline("", 0, name, displayName, description, PipelineStatus.READY, namespace, tags);
    }

    public Pipeline withTags(Map<String, String> t) {
        return new Pipeline(uuid, createdAtInSec, name, displayName, description, status, namespace, t);
    }

    public Pipeline withStatus(PipelineStatus s) {
        return new Pipeline(uuid, createdAtInSec, name, displayName, description, s, namespace, tags);
    }
}
