package kfp.store.api;

/**
 * A recurring run ({@code jobs} row), as KFP's ScheduledWorkflow controller and API see it.
 * Trigger fields are null when unset. {@link #conditions} is the v2 status
 * ({@code ENABLED}, {@code DISABLED}, {@code STATUS_UNSPECIFIED}).
 */
public class Job extends RunDefinition {
    public long maxConcurrency;
    public boolean noCatchup;
    public long updatedAtInSec;
    public boolean enabled;
    public Long cronScheduleStartTimeInSec;
    public Long cronScheduleEndTimeInSec;
    public String schedule;
    public Long periodicScheduleStartTimeInSec;
    public Long periodicScheduleEndTimeInSec;
    public Long intervalSecond;
}
