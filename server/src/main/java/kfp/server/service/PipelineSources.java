package kfp.server.service;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import kfp.server.convert.PipelineSpecs;
import kfp.server.errors.ApiErrors;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.api.RunDefinition;

/**
 * The pipeline a new run or recurring run runs: a version by id (which must belong to the
 * pipeline, if one is named), else a pipeline's latest READY version (or, for a recurring run
 * that is not pinned, the pipeline itself), else the inline spec or workflow the request carried.
 * None of these is InvalidArgument.
 */
@Singleton
final class PipelineSources {

    private final PipelineStore pipelines;

    @Inject
    PipelineSources(PipelineStore pipelines) {
        this.pipelines = pipelines;
    }

    /**
     * Fills the definition's pipeline fields. With {@code pinLatest} false, a pipeline id alone
     * stays unpinned (each run a recurring run starts takes the latest version then).
     */
    void resolve(RunDefinition d, String pipelineId, String pipelineVersionId, boolean pinLatest) {
        PipelineVersion version = null;
        if (!pipelineVersionId.isEmpty()) {
            version = pipelines.getPipelineVersion(pipelineVersionId);
            if (!pipelineId.isEmpty() && !pipelineId.equals(version.pipelineId())) {
                throw ApiErrors.invalidArgument("Pipeline version " + pipelineVersionId + " does not belong to pipeline "
                        + pipelineId);
            }
        } else if (!pipelineId.isEmpty()) {
            d.pipelineName = pipelines.getPipeline(pipelineId).name();
            if (!pinLatest) {
                d.pipelineId = pipelineId;
                d.pipelineSpecManifest = null;
                d.workflowSpecManifest = null;
                return;
            }
            version = pipelines.getLatestPipelineVersion(pipelineId);
        }
        if (version != null) {
            d.pipelineId = version.pipelineId();
            d.pipelineVersionId = version.uuid();
            d.pipelineName = version.name();
            d.pipelineSpecManifest = version.pipelineSpec();
            return;
        }
        if (d.pipelineSpecManifest != null && !d.pipelineSpecManifest.isEmpty()) {
            if (PipelineSpecs.documents(d.pipelineSpecManifest, "pipeline_spec").isEmpty()) {
                throw ApiErrors.invalidArgument("pipeline_spec is empty");
            }
            return;
        }
        if (d.workflowSpecManifest != null && !d.workflowSpecManifest.isEmpty()) {
            PipelineSpecs.documents(d.workflowSpecManifest, "workflow_manifest");
            return;
        }
        throw ApiErrors.invalidArgument("A pipeline is needed: a pipeline version reference, a pipeline id or a pipeline spec");
    }
}
