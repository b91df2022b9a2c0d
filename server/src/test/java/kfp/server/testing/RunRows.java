package kfp.server.testing;

import kfp.store.api.Job;
import kfp.store.api.JobStore;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.testing.TestDatabase;

/**
 * Runs and recurring runs put in place through the stores, for API tests of what callers do with
 * existing ones (report a workflow, metrics, tasks, a schedule) while creating them is not what
 * they test.
 */
public final class RunRows {

    private RunRows() {
    }

    /**
     * A PENDING run with this id and workflow name in the default experiment (the server must have
     * started), in the shared namespace, as CreateRun leaves it.
     */
    public static Run pending(TestDatabase db, String id, String workflowName) {
        Run r = new Run();
        r.experimentId = defaultExperiment(db);
        r.uuid = id;
        r.displayName = "run " + id;
        r.name = workflowName;
        r.namespace = "";
        r.serviceAccount = "pipeline-runner";
        r.pipelineSpecManifest = "{\"pipelineInfo\":{\"name\":\"p\"}}";
        r.state = RuntimeStates.PENDING;
        r.createdAtInSec = 1;
        r.scheduledAtInSec = 1;
        return db.get(RunStore.class).createRun(r);
    }

    /** An enabled recurring run with this id (the ScheduledWorkflow's UID) in the default experiment, every minute. */
    public static Job recurring(TestDatabase db, String id, String name) {
        Job j = new Job();
        j.uuid = id;
        j.displayName = name;
        j.name = name;
        j.namespace = "";
        j.serviceAccount = "pipeline-runner";
        j.experimentId = defaultExperiment(db);
        j.pipelineSpecManifest = "{\"pipelineInfo\":{\"name\":\"p\"}}";
        j.runtimeParameters = "{\"lr\":0.1}";
        j.maxConcurrency = 1;
        j.enabled = true;
        j.conditions = "ENABLED";
        j.schedule = "0 * * * * *";
        j.cronScheduleStartTimeInSec = 0L;
        return db.get(JobStore.class).createJob(j);
    }

    private static String defaultExperiment(TestDatabase db) {
        return (String) db.queryValue("SELECT \"UUID\" FROM experiments WHERE \"Name\" = ?", "Default");
    }
}
