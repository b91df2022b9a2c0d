package kfp.store.api;

/**
 * Runs ({@code run_details}) with their metrics, and their tasks and references as read back
 * (KFP's run store, and its master's run GC). States are v2 names (see {@link RuntimeStates}).
 */
public interface RunStore {

    /** Retention batches: a batch size of 0 or less means this, larger ones are capped at {@link #MAX_GC_BATCH}. */
    int DEFAULT_GC_BATCH = 100;
    int MAX_GC_BATCH = 1000;
    /** A retry claim older than this may be taken over (seconds). */
    long RETRY_CLAIM_GRACE_SECONDS = 600;

    /**
     * Stores a new run, normalised as KFP does: v2 state (derived from Conditions when only those
     * are given), Conditions recomputed from it, storage state AVAILABLE unless given, and the
     * state appended to the history. The experiment, recurring run, pipeline and pipeline version
     * the run names must exist (NotFound). A run whose UUID exists is AlreadyExists, except for a
     * recurring run's run, whose creation is idempotent: the stored run is returned.
     *
     * @return the run as stored (the given object, normalised)
     */
    Run createRun(Run run);

    /** The run with its references, tasks and metrics; NotFound when there is none. */
    Run getRun(String id);

    /**
     * A page of runs, each with its references, tasks and metrics. Context: none, a namespace, an
     * experiment (by column), or any other reference (a recurring run: {@link ResourceType#JOB}).
     * Besides the run fields, {@code sort_by} takes {@code metric:<name>}: the run's value of that
     * metric (its largest over nodes), runs without it last in both directions; the name is
     * matched exactly (KFP lower-cased it: docs/kfp-compatibility.md#metric-names).
     */
    ListResult<Run> listRuns(FilterContext context, ListOptions options);

    /**
     * The status report: Conditions (as given, or derived from the state), State, FinishedAtInSec,
     * WorkflowRuntimeManifest and, when not null, PluginsOutput ('' clears it). The state is
     * appended to the stored history (KFP replaced it with the caller's list: docs/kfp-compatibility.md#state-history).
     * NotFound for an unknown run; Aborted when {@code run.retryGeneration} is not the stored one
     * (a reporter that missed a retry claim).
     */
    void updateRun(Run run);

    /** Sets PluginsOutput only ('' or null clears it); NotFound for an unknown run. */
    void updateRunPluginsOutput(String id, String pluginsOutput);

    /** StorageState ARCHIVED, ArchivedAtInSec now; NotFound for an unknown run. */
    void archiveRun(String id);

    /** StorageState AVAILABLE, ArchivedAtInSec 0; NotFound for an unknown run. */
    void unarchiveRun(String id);

    /** Deletes the run with its metrics, tasks and references; NotFound for an unknown run. */
    void deleteRun(String id);

    /** One metric per (run, node, name): AlreadyExists otherwise; NotFound for an unknown run. */
    void createMetric(RunMetric metric);

    /**
     * Moves an unfinished run to CANCELING (Conditions "Terminating"), appending to its history.
     * NotFound for an unknown run; InvalidArgument when it has finished already.
     */
    void terminateRun(String id);

    /** The newest run of this recurring run with this display name, or "" when there is none. */
    String getRunIdByRecurringRunIdAndDisplayName(String recurringRunId, String displayName);

    /**
     * Archives up to one batch of finished runs whose FinishedAtInSec is before {@code cutoffInSec}.
     *
     * @return how many runs were archived (fewer than the batch: nothing more to do)
     */
    int archiveExpiredRuns(long cutoffInSec, int batchSize);

    /**
     * Deletes up to one batch of archived runs archived (or, for runs archived without a stamp,
     * finished) before {@code cutoffInSec}, with their metrics, tasks and references.
     *
     * @return how many runs were deleted
     */
    int deleteExpiredArchivedRuns(long cutoffInSec, int batchSize);

    /**
     * Claims a finished run for a retry: State PENDING, FinishedAtInSec 0, a new retry generation.
     * With {@code takeoverExpiredClaim}, a PENDING run whose earlier claim is older than
     * {@link #RETRY_CLAIM_GRACE_SECONDS} may be claimed again. NotFound for an unknown run;
     * Aborted when the run is not finished (or its claim may not be taken over).
     */
    RetryClaim claimRunForRetry(String id, boolean takeoverExpiredClaim);

    /**
     * Restores what {@code claim} replaced, if the run is still at the claim's generation.
     *
     * @return false when a later claim superseded this one (nothing changed)
     */
    boolean rollbackRetryClaim(String id, RetryClaim claim);
}
