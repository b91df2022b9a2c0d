package kfp.server.testing;

import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.testing.TestDatabase;

/**
 * Runs put in place through the run store, for API tests of what callers do with an existing run
 * (report its workflow, its metrics, its tasks) while run creation is not what they test.
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
        r.experimentId = (String) db.queryValue("SELECT \"UUID\" FROM experiments WHERE \"Name\" = ?", "Default");
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
}
