package kfp.store.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * A row of {@code pipeline_versions} with its tags ({@code pipeline_version_tags}). On create the
 * store sets the id and creation time. Names are unique per pipeline, ignoring case.
 */
public record PipelineVersion(
        String uuid,
        long createdAtInSec,
        String name,
        String displayName,
        String parameters,
        String pipelineId,
        PipelineStatus status,
        String codeSourceUrl,
        String description,
        String pipelineSpec,
        String pipelineSpecUri,
        Map<String, String> tags) {

    public PipelineVersion {
        uuid = uuid == null ? "" : uuid;
        name = name == null ? "" : name;
        displayName = displayName == null ? "" : displayName;
        parameters = parameters == null ? "" : parameters;
        pipelineId = pipelineId == null ? "" : pipelineId;
        status = status == null ? PipelineStatus.READY : status;
        codeSourceUrl = codeSourceUrl == null ? "" : codeSourceUrl;
        description = description == null ? "" : description;
        pipelineSpec = pipelineSpec == null ? "" : pipelineSpec;
        pipelineSpecUri = pipelineSpecUri == null ? "" : pipelineSpecUri;
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** The columns without tags (how rows are read before their tags are attached). */
    public PipelineVersion(String uuid, long createdAtInSec, String name, String displayName, String parameters,
            String pipelineId, PipelineStatus status, String codeSourceUrl, String description, String pipelineSpec,
            String pipelineSpecUri) {
        this(uuid, createdAtInSec, name, displayName, parameters, pipelineId, status, codeSourceUrl, description,
                pipelineSpec, pipelineSpecUri, Map.of());
    }

    /** What a caller passes to create a version (status READY unless changed with {@link #withStatus}). */
    public static PipelineVersion newVersion(String pipelineId, String name, String displayName, String description,
            String pipelineSpec, String pipelineSpecUri, String codeSourceUrl, Map<String, String> tags) {
        return new PipelineVersion("", 0, name, displayName, "", pipelineId, PipelineStatus.READY, codeSourceUrl,
                description, pipelineSpec, pipelineSpecUri, tags);
    }

    public PipelineVersion withTags(Map<String, String> t) {
        return new PipelineVersion(uuid, createdAtInSec, name, displayName, parameters, pipelineId, status,
                codeSourceUrl, description, pipelineSpec, pipelineSpecUri, t);
    }

    public PipelineVersion withStatus(PipelineStatus s) {
        return new PipelineVersion(uuid, createdAtInSec, name, displayName, parameters, pipelineId, s,
                codeSourceUrl, description, pipelineSpec, pipelineSpecUri, tags);
    }
}
