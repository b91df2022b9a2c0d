package kfp.store.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A run ({@code run_details} row) with its children as GetRun and ListRuns return them: its
 * references, tasks and metrics. A plain data carrier mirroring KFP's model; fields are named after the
 * API (experimentId for {@code ExperimentUUID}, recurringRunId for {@code JobUUID}).
 * Times are epoch seconds; states are v2 names (see {@link RuntimeStates}).
 */
public class Run {
    public String uuid;
    public String experimentId = "";
    public String displayName = "";
    /** The Kubernetes workflow name. */
    public String name = "";
    public String storageState;
    public String namespace = "";
    public String serviceAccount = "";
    public String description = "";
    public long createdAtInSec;
    public long scheduledAtInSec;
    public long finishedAtInSec;
    /** Deprecated v1 status, recomputed from {@link #state} on create. */
    public String conditions = "";
    public String pipelineId = "";
    public String pipelineVersionId = "";
    public String pipelineName = "";
    public String pipelineSpecManifest;
    public String workflowSpecManifest;
    public String parameters;
    public String runtimeParameters;
    public String pipelineRoot;
    public String pipelineRuntimeManifest = "";
    public String workflowRuntimeManifest = "";
    public String recurringRunId = "";
    public String state;
    public List<StateChange> stateHistory = new ArrayList<>();
    /** Opaque JSON; null when absent (an empty string is stored as NULL). */
    public String pluginsInput;
    public String pluginsOutput;
    public long pipelineContextId;
    public long pipelineRunContextId;
    /** Bumped by each retry claim; UpdateRun only applies when the caller's value matches (fencing). */
    public long retryGeneration;
    public long retryClaimedAtInSec;
    public long archivedAtInSec;

    /** The run's references (experiment, namespace, recurring run), as KFP's v1 API shows them. */
    public List<ResourceReference> resourceReferences = new ArrayList<>();
    public List<Task> tasks = new ArrayList<>();
    public List<RunMetric> metrics = new ArrayList<>();
}
