package kfp.store.api;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run and a recurring run both define: who they are, where they belong, and the pipeline
 * they run (KFP's embedded PipelineSpec). Plain data carriers, as KFP's models; fields are named
 * after the API (experimentId for {@code ExperimentUUID}).
 */
public abstract class RunDefinition {
    public String uuid;
    public String displayName = "";
    /** The Kubernetes name (workflow or ScheduledWorkflow). */
    public String name = "";
    public String namespace = "";
    public String serviceAccount = "";
    public String description = "";
    public long createdAtInSec;
    public String experimentId = "";
    public String pipelineId = "";
    public String pipelineVersionId = "";
    public String pipelineName = "";
    public String pipelineSpecManifest;
    public String workflowSpecManifest;
    /** v1 parameters (JSON array). */
    public String parameters;
    /** v2 runtime parameters (JSON object). */
    public String runtimeParameters;
    public String pipelineRoot;
    /** Runs: the deprecated v1 status; recurring runs: the v2 status. */
    public String conditions = "";
    /** Opaque JSON; null when absent (an empty string is stored as NULL). */
    public String pluginsInput;
    /** Its references (experiment, namespace, ...), as KFP's v1 API shows them; rebuilt from the fields on create. */
    public List<ResourceReference> resourceReferences = new ArrayList<>();

    /**
     * Adds a stored reference as read back; a field the row left empty (a legacy KFP row) takes
     * the referenced id, as KFP's readers do.
     */
    public void addStoredReference(ResourceReference ref) {
        resourceReferences.add(ref);
        String id = ref.referenceUuid();
        switch (ref.referenceType()) {
            case EXPERIMENT -> experimentId = orElse(experimentId, id);
            case NAMESPACE -> namespace = orElse(namespace, id);
            case PIPELINE -> pipelineId = orElse(pipelineId, id);
            case PIPELINE_VERSION -> pipelineVersionId = orElse(pipelineVersionId, id);
            default -> { }
        }
    }

    /** {@code value}, or {@code fallback} when value is null or empty. */
    protected static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
