package kfp.store.api;

import java.util.ArrayList;
import java.util.List;

/** A task of a run ({@code tasks} row): one per pod of the run. Times are epoch seconds. */
public class Task {
    public String uuid;
    public String namespace = "";
    public String pipelineName = "";
    public String runId;
    public String podName;
    public String mlmdExecutionId = "";
    public long createdTimestamp;
    public long startedTimestamp;
    public long finishedTimestamp;
    public String fingerprint = "";
    /** The display name. */
    public String name;
    public String parentTaskId;
    /** v2 runtime state (stored and read back: docs/kfp-compatibility.md#task-state). */
    public String state;
    public List<StateChange> stateHistory = new ArrayList<>();
    public String mlmdInputs;
    public String mlmdOutputs;
    public List<String> childrenPods = new ArrayList<>();
}
