package kfp.store.api;

/** Recurring runs ({@code jobs}) and their references. */
public interface JobStore {

    /**
     * Stores a new recurring run: CreatedAtInSec = UpdatedAtInSec = now, Conditions as the v2
     * status, references rebuilt from its namespace, experiment, pipeline and pipeline version,
     * each of which must exist (NotFound). A new UUID when none is given; AlreadyExists for a
     * UUID in use.
     */
    Job createJob(Job job);

    /** The job with its references; NotFound when there is none. */
    Job getJob(String id);

    /** A page of jobs with their references. Context: none, a namespace, an experiment, or any other reference. */
    ListResult<Job> listJobs(FilterContext context, ListOptions options);

    /** Enables or disables; UpdatedAtInSec changes only when the mode does. NotFound for an unknown job. */
    void changeJobMode(String id, boolean enabled);

    /** Writes what the ScheduledWorkflow controller reports; UpdatedAtInSec = now. NotFound for an unknown job. */
    void updateJob(JobSchedule schedule);

    /** Deletes the job and the references to and from it; its runs stay. NotFound for an unknown job. */
    void deleteJob(String id);

    /** The v2 status KFP stores for a job status given in v1 or v2 spelling. */
    static String toV2Status(String status) {
        String s = status == null ? "" : status.trim().toUpperCase(java.util.Locale.ROOT);
        return switch (s) {
            case "ENABLED", "READY", "DONE", "RUNNING", "SUCCEEDED" -> "ENABLED";
            case "DISABLED" -> "DISABLED";
            default -> "STATUS_UNSPECIFIED";
        };
    }
}
