package kfp.store.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A run ({@code run_details} row) with its children as GetRun and ListRuns return them: its
 * references, tasks and metrics. recurringRunId is {@code JobUUID}. Times are epoch seconds;
 * states are v2 names (see {@link RuntimeStates}); {@link #conditions} is recomputed from
 * {@link #state} on create.
 */
public class Run extends RunDefinition {
    public String storageState;
    public long scheduledAtInSec;
    public long finishedAtInSec;
    public String pipelineRuntimeManifest = "";
    public String workflowRuntimeManifest = "";
    public String recurringRunId = "";
    public String state;
    public List<StateChange> stateHistory = new ArrayList<>();
    public String pluginsOutput;
    public long pipelineContextId;
    public long pipelineRunContextId;
    /** Bumped by each retry claim; UpdateRun only applies when the caller's value matches (fencing). */
    public long retryGeneration;
    public long retryClaimedAtInSec;
    public long archivedAtInSec;

    public List<Task> tasks = new ArrayList<>();
    public List<RunMetric> metrics = new ArrayList<>();

    /** Also fills an empty recurringRunId from the run's Job (Creator) reference. */
    @Override
    public void addStoredReference(ResourceReference ref) {
        super.addStoredReference(ref);
        if (ref.referenceType() == ResourceType.JOB || ref.referenceType() == ResourceType.RECURRING_RUN) {
            recurringRunId = orElse(recurringRunId, ref.referenceUuid());
        }
    }
}
