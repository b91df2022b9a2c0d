package kfp.server.execution;

import kfp.store.api.Job;
import kfp.store.api.Run;

/**
 * What happens outside the database when the API changes a run or a recurring run: KFP creates,
 * terminates, retries and deletes the run's Argo Workflow and keeps a recurring run's
 * ScheduledWorkflow in step with its row. The services call this after the store has written the
 * change (and undo the change when a call here fails), so an implementation only acts.
 *
 * <p>{@link RecordingExecution} acts on nothing: the server is then a metadata service whose runs
 * change only as they are reported and whose schedules are only stored.
 */
public interface Execution {

    /** Starts the workflow of a run just stored (State PENDING). */
    void createRun(Run run);

    /** Stops the workflow of a run just moved to CANCELING. */
    void terminateRun(Run run);

    /** Retries the failed steps of a run just claimed for a retry (State PENDING). */
    void retryRun(Run run);

    /** Deletes the workflow of a run about to be deleted (best effort: a missing workflow is fine). */
    void deleteRun(Run run);

    /** Creates the schedule of a recurring run just stored. */
    void createRecurringRun(Job job);

    /** Turns a recurring run's schedule on or off, as its row now says. */
    void setRecurringRunEnabled(Job job, boolean enabled);

    /** Deletes the schedule of a recurring run about to be deleted (a missing schedule is fine). */
    void deleteRecurringRun(Job job);

    /**
     * Runs {@code act} (a call of this interface); if it fails, runs {@code undo} (which puts back
     * the store's change made for it) and rethrows, so nothing is kept half-done.
     */
    static void orUndo(Runnable act, Runnable undo) {
        try {
            act.run();
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }
}
