package kfp.store.api;

/**
 * What the ScheduledWorkflow controller reports about a recurring run (KFP's UpdateJob(swf)):
 * written over the job's name, mode, status and trigger. Null trigger fields clear them;
 * {@code parameters} (v1) and {@code runtimeParameters} (v2) are written only when not null.
 */
public class JobSchedule {
    /** The job's UUID (the ScheduledWorkflow's UID). */
    public String uuid;
    public String name = "";
    public boolean enabled;
    /** v2 status: ENABLED, DISABLED or STATUS_UNSPECIFIED (v1 spellings are mapped). */
    public String conditions = "";
    public long maxConcurrency;
    public boolean noCatchup;
    public Long cronScheduleStartTimeInSec;
    public Long cronScheduleEndTimeInSec;
    public String schedule = "";
    public Long periodicScheduleStartTimeInSec;
    public Long periodicScheduleEndTimeInSec;
    public long intervalSecond;
    public String parameters;
    public String runtimeParameters;
}
