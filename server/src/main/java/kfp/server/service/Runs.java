package kfp.server.service;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.grpc.Status;
import java.time.Instant;
import kfp.server.errors.ApiErrors;
import kfp.server.execution.Execution;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.ResourceType;
import kfp.store.api.RetryClaim;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.api.StorageState;

/**
 * The run rules both API versions share: what a new run is made of (its experiment, default or
 * named; its pipeline ({@link PipelineSources}); the id of a run a recurring run starts), and the order of store and {@link Execution}
 * calls for every change, so that a failure leaves the stored run as it was.
 */
@Singleton
final class Runs {

    /** The service account KFP's workflows run as when the request names none. */
    static final String DEFAULT_SERVICE_ACCOUNT = "pipeline-runner";

    private final RunStore runs;
    private final ExperimentStore experiments;
    private final PipelineSources sources;
    private final DefaultExperiment defaultExperiment;
    private final Execution execution;

    @Inject
    Runs(RunStore runs, ExperimentStore experiments, PipelineSources sources, DefaultExperiment defaultExperiment,
            Execution execution) {
        this.runs = runs;
        this.experiments = experiments;
        this.sources = sources;
        this.defaultExperiment = defaultExperiment;
        this.execution = execution;
    }

    /**
     * Stores a run and starts it. The store writes the run and its references in one transaction;
     * when starting fails, the run is deleted again. A recurring run's run has a name-based id, so
     * the same scheduled run created twice is one row (the first one, returned to both callers;
     * docs/kfp-compatibility.md#scheduled-run-id).
     */
    Run create(Run r, String pipelineId, String pipelineVersionId, String nameField) {
        Calls.required(r.displayName, nameField);
        r.experimentId = r.experimentId.isEmpty() ? defaultExperiment.ensure() : r.experimentId;
        r.namespace = experiments.getExperiment(r.experimentId).namespace(); // a run lives where its experiment does
        sources.resolve(r, pipelineId, pipelineVersionId, true);
        if (!r.recurringRunId.isEmpty()) {
            r.uuid = ScheduledRunIds.of(r.recurringRunId, r.displayName);
        }
        r.createdAtInSec = r.scheduledAtInSec = Instant.now().getEpochSecond();
        r.state = RuntimeStates.PENDING;
        r.serviceAccount = r.serviceAccount.isEmpty() ? DEFAULT_SERVICE_ACCOUNT : r.serviceAccount;
        Run stored = runs.createRun(r);
        if (stored != r) { // the store returned the scheduled run created before: it is started already
            return stored;
        }
        Execution.orUndo(() -> execution.createRun(stored), () -> runs.deleteRun(stored.uuid));
        return stored;
    }

    Run get(String id) {
        return runs.getRun(id);
    }

    /** Runs of an experiment (NotFound when it does not exist) or recurring run, else all runs (single-user: one namespace). */
    ListResult<Run> list(ResourceType scope, String scopeId, ListOptions options) {
        if (scope == ResourceType.EXPERIMENT) {
            return Experiments.inExperiment(experiments, scopeId,
                    runs.listRuns(FilterContext.of(ResourceType.EXPERIMENT, scopeId), options));
        }
        return runs.listRuns(scope == ResourceType.JOB ? FilterContext.of(ResourceType.JOB, scopeId) : FilterContext.NONE,
                options);
    }

    void archive(String id) {
        runs.archiveRun(id);
    }

    /** Refused while the run's experiment is archived (KFP: FailedPrecondition, HTTP 400). */
    void unarchive(String id) {
        Run run = runs.getRun(id);
        if (!run.experimentId.isEmpty() && experimentArchived(run.experimentId)) {
            throw ApiErrors.userError(Status.Code.FAILED_PRECONDITION, "Failed to unarchive run " + id
                    + ": its experiment " + run.experimentId + " is archived; unarchive the experiment first");
        }
        runs.unarchiveRun(id);
    }

    private boolean experimentArchived(String experimentId) {
        try {
            return experiments.getExperiment(experimentId).storageState() == StorageState.ARCHIVED;
        } catch (NotFoundException gone) { // an experiment deleted under its runs holds nothing back
            return false;
        }
    }

    /** The workflow first (a missing one is fine), then the row with its metrics, tasks and references. */
    void delete(String id) {
        execution.deleteRun(runs.getRun(id));
        runs.deleteRun(id);
    }

    /** CANCELING from PENDING, RUNNING, PAUSED or unspecified (else 400), then the workflow is stopped. */
    void terminate(String id) {
        runs.terminateRun(id);
        execution.terminateRun(runs.getRun(id));
    }

    /**
     * A finished run that has reported its workflow is claimed for a retry (PENDING, not finished)
     * and retried; when the retry fails, the claim is rolled back unless a later one replaced it
     * (docs/kfp-compatibility.md#run-state-rules).
     */
    void retry(String id) {
        Run run = runs.getRun(id);
        if (run.workflowRuntimeManifest.isEmpty()) {
            throw ApiErrors.aborted("Failed to retry run " + id + ": it has no workflow manifest (its workflow was never reported)");
        }
        RetryClaim claim = runs.claimRunForRetry(id, false);
        Execution.orUndo(() -> execution.retryRun(runs.getRun(id)), () -> runs.rollbackRetryClaim(id, claim));
    }
}
