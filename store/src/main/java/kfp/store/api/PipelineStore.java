package kfp.store.api;

import java.util.Collection;
import java.util.Map;

/**
 * Pipelines, pipeline versions and their tags. Reads and lists see READY rows only
 * unless a status is given. Mutations by id report NotFound for an unknown id (KFP: silent;
 * docs/kfp-compatibility.md#unknown-ids).
 *
 * <p>Tags: at most 20 per pipeline or version; keys non-empty, without '.', at most 63
 * characters; values at most 63 characters (else InvalidArgument). In updates, {@code null}
 * tags leave the tags alone and an empty map removes them all.
 */
public interface PipelineStore {

    /** @throws AlreadyExistsException when the namespace has a pipeline of that name (any case) */
    Pipeline createPipeline(Pipeline pipeline);

    /**
     * Creates a pipeline and its first version in one transaction, both CREATING (the caller flips
     * them to READY). @throws AlreadyExistsException for a taken pipeline name
     */
    PipelineAndVersion createPipelineAndPipelineVersion(Pipeline pipeline, PipelineVersion version);

    /** The READY pipeline. @throws NotFoundException */
    Pipeline getPipeline(String id);

    /** @throws NotFoundException when there is no pipeline with that id and status */
    Pipeline getPipelineWithStatus(String id, PipelineStatus status);

    /** The READY pipeline of that name (ignoring case) in exactly that namespace ({@code ""}: shared). */
    Pipeline getPipelineByNameAndNamespace(String name, String namespace);

    /** As {@link #getPipelineByNameAndNamespace}, with its latest READY version (absent if none). */
    PipelineAndVersion getPipelineByNameAndNamespaceV1(String name, String namespace);

    /**
     * READY pipelines, v2: filter keys of the pipeline field map and {@code tags.<key>} (EQUALS
     * with a string value). Context: a Namespace reference scopes; others are ignored.
     */
    ListResult<Pipeline> listPipelines(FilterContext context, ListOptions options);

    /** READY pipelines, v1: each with its latest READY version (absent if none); no tag filters. */
    ListResult<PipelineAndVersion> listPipelinesV1(FilterContext context, ListOptions options);

    void updatePipelineStatus(String id, PipelineStatus status);

    void updatePipelineDefaultVersion(String id, String versionId);

    /** Sets the display name unless empty, and the tags unless null; returns the pipeline (any status). */
    Pipeline updatePipelineFields(String id, String displayName, Map<String, String> tags);

    /** Replaces the tags (an empty map clears them); values of kept keys change in place. */
    void createOrUpdatePipelineTags(String id, Map<String, String> tags);

    Map<String, String> getPipelineTags(String id);

    /** Tags of each pipeline that has any. */
    Map<String, Map<String, String>> getPipelineTagsForPipelines(Collection<String> ids);

    void deletePipelineTags(String id);

    /** Deletes the pipeline; its versions and all their tags go with it. */
    void deletePipeline(String id);

    /**
     * @throws AlreadyExistsException when the pipeline has a version of that name (any case)
     * @throws NotFoundException when the pipeline does not exist
     */
    PipelineVersion createPipelineVersion(PipelineVersion version);

    /** The READY version. @throws NotFoundException */
    PipelineVersion getPipelineVersion(String id);

    PipelineVersion getPipelineVersionWithStatus(String id, PipelineStatus status);

    /** The READY version of that name (ignoring case) of the pipeline. @throws NotFoundException */
    PipelineVersion getPipelineVersionByName(String pipelineId, String name);

    /** The newest READY version; versions created in the same second: the greatest id. @throws NotFoundException */
    PipelineVersion getLatestPipelineVersion(String pipelineId);

    /** READY versions of a pipeline; filter keys of the version field map and {@code tags.<key>}. */
    ListResult<PipelineVersion> listPipelineVersions(String pipelineId, ListOptions options);

    void updatePipelineVersionStatus(String id, PipelineStatus status);

    PipelineVersion updatePipelineVersionFields(String id, String displayName, Map<String, String> tags);

    void createOrUpdatePipelineVersionTags(String id, Map<String, String> tags);

    Map<String, String> getPipelineVersionTags(String id);

    Map<String, Map<String, String>> getPipelineVersionTagsForVersions(Collection<String> ids);

    void deletePipelineVersionTags(String id);

    /** Deletes the version and its tags. */
    void deletePipelineVersion(String id);

}
