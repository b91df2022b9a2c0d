package kfp.store.api;

/**
 * A recurring run ({@code jobs} row), as KFP's ScheduledWorkflow controller and API see it.
 * Trigger fields are null when unset. {@link #conditions} is the v2 status
 * ({@code ENABLED}, {@code DISABLED}, {@code STATUS_UNSPECIFIED}).
 */
public class Job {
    public String uuid;
    public String displayName = "";
    /** The Kubernetes name of the ScheduledWorkflow. */
    public String name = "";
    public String namespace = "";
    public String serviceAccount = "";
    public String description = "";
    public long maxConcurrency;
    public boolean noCatchup;
    public long createdAtInSec;
    public long updatedAtInSec;
    public boolean enabled;
    public String experimentId = "";
    public Long cronScheduleStartTimeInSec;
    public Long cronScheduleEndTimeInSec;
    public String schedule;
    public Long periodicScheduleStartTimeInSec;
    public Long periodicScheduleEndTimeInSec;
    public Long intervalSecond;
    public String pipelineId = "";
    public String pipelineVersionId = "";
    public String pipelineName = "";
    public String pipelineSpecManifest;
    public String workflowSpecManifest;
    public String parameters;
    public String runtimeParameters;
    public String pipelineRoot;
    public String conditions = "";
    /** Opaque JSON; null when absent (an empty string is stored as NULL). */
    public String pluginsInput;

    /** The job's references (namespace, experiment, pipeline, pipeline version), as KFP's v1 API shows them. */
    public java.util.List<ResourceReference> resourceReferences = new java.util.ArrayList<>();
}
