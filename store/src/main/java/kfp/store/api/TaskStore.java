package kfp.store.api;

import java.util.List;

/** Tasks of runs ({@code tasks}): one per pod of a run, and any number without a pod name. */
public interface TaskStore {

    /**
     * Stores a new task with a new id. A zero CreatedTimestamp becomes the StartedTimestamp, or
     * now when that is zero too. The run must exist (NotFound); a second task for the same pod of
     * the run is AlreadyExists (KFP had no such key: docs/kfp-compatibility.md#unique-task-pod); tasks
     * without a pod name (KFP's launcher records cached steps so) are never in conflict.
     */
    Task createTask(Task task);

    /** NotFound when there is no such task. Unlike KFP, the State is read back (docs/kfp-compatibility.md#task-state). */
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
