package kfp.store.api;

import java.util.List;

/** Tasks of runs ({@code tasks}): one per pod of a run (spec/storage.md §2.8). */
public interface TaskStore {

    /**
     * Stores a new task with a new id. A zero CreatedTimestamp becomes the StartedTimestamp, or
     * now when that is zero too. The run must exist (NotFound); a second task for the same pod of
     * the run is AlreadyExists (KFP quirk §9.19: KFP had no such key).
     */
    Task createTask(Task task);

    /** NotFound when there is no such task. Unlike KFP, the State is read back (quirk §9.9). */
    Task getTask(String id);

    /** A page of tasks. Context: a run ({@link ResourceType#RUN}), a pipeline (by name, {@link ResourceType#PIPELINE}) or none. */
    ListResult<Task> listTasks(FilterContext context, ListOptions options);

    /**
     * Creates the tasks of a run whose pods are new and updates those whose pods exist, race-free:
     * an incoming task's empty fields keep the stored values, its state (when given) is appended to
     * the stored history if it differs from the last entry. Returns the tasks as stored, in the
     * order given. The run must exist (NotFound); a pod may appear once per call (InvalidArgument).
     */
    List<Task> createOrUpdateTasks(String runId, List<Task> tasks);
}
