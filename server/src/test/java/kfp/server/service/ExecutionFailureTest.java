package kfp.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import kfp.server.execution.Execution;
import kfp.store.api.DefaultExperimentStore;
import kfp.store.api.ExperimentStore;
import kfp.store.api.Job;
import kfp.store.api.JobStore;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * When the execution fails (a workflow or schedule that cannot be created or retried), the stored
 * change is undone: no run or recurring run without its workflow or schedule, no retry claim left
 * on a run that was not retried.
 */
@StoreTest
class ExecutionFailureTest {

    /** An execution whose every action fails, as a cluster that refuses the call would. */
    private static final class Refusing implements Execution {
        private RuntimeException refusal() {
            return new IllegalStateException("the cluster refused");
        }

        @Override
        public void createRun(Run run) {
            throw refusal();
        }

        @Override
        public void terminateRun(Run run) {
            throw refusal();
        }

        @Override
        public void retryRun(Run run) {
            throw refusal();
        }

        @Override
        public void deleteRun(Run run) {
            throw refusal();
        }

        @Override
        public void createRecurringRun(Job job) {
            throw refusal();
        }

        @Override
        public void setRecurringRunEnabled(Job job, boolean enabled) {
            throw refusal();
        }

        @Override
        public void deleteRecurringRun(Job job) {
            throw refusal();
        }
    }

    private static String version(TestDatabase db) {
        PipelineStore pipelines = db.get(PipelineStore.class);
        Pipeline p = pipelines.createPipeline(Pipeline.newPipeline("p", "p", "", "", Map.of()));
        return pipelines.createPipelineVersion(PipelineVersion.newVersion(p.uuid(), "v", "v", "",
                "pipelineInfo:\n  name: p\n", "", "", Map.of())).uuid();
    }

    private static DefaultExperiment defaultExperiment(TestDatabase db) {
        DefaultExperiment d = new DefaultExperiment(db.get(DefaultExperimentStore.class), db.get(ExperimentStore.class));
        d.ensure();
        return d;
    }

    @OnEachDatabase
    void aRunWhoseWorkflowCannotStartIsNotKept(TestDatabase db) {
        String version = version(db);
        Runs runs = new Runs(db.get(RunStore.class), db.get(ExperimentStore.class), new PipelineSources(db.get(PipelineStore.class)),
                defaultExperiment(db), new Refusing());
        Run r = new Run();
        r.displayName = "refused";
        assertThatThrownBy(() -> runs.create(r, "", version, "display_name")).hasMessage("the cluster refused");
        assertThat(db.count("run_details")).isZero();
        assertThat(((Number) db.queryValue("SELECT COUNT(*) FROM resource_references WHERE \"ResourceType\" = 'Run'")).longValue())
                .isZero();
    }

    @OnEachDatabase
    void aRetryThatFailsLeavesTheRunAsItWas(TestDatabase db) {
        String version = version(db);
        RunStore store = db.get(RunStore.class);
        Run stored = new Run();
        stored.uuid = "r1";
        stored.displayName = "finished";
        stored.experimentId = defaultExperiment(db).id();
        stored.pipelineVersionId = version;
        stored.state = RuntimeStates.FAILED;
        stored.finishedAtInSec = 1234;
        store.createRun(stored);
        Run report = new Run();
        report.uuid = "r1";
        report.state = RuntimeStates.FAILED;
        report.finishedAtInSec = 1234;
        report.workflowRuntimeManifest = "{\"metadata\":{\"name\":\"wf\"}}";
        store.updateRun(report);

        Runs runs = new Runs(store, db.get(ExperimentStore.class), new PipelineSources(db.get(PipelineStore.class)),
                defaultExperiment(db), new Refusing());
        assertThatThrownBy(() -> runs.retry("r1")).hasMessage("the cluster refused");
        Run after = store.getRun("r1");
        assertThat(after.state).isEqualTo(RuntimeStates.FAILED);
        assertThat(after.finishedAtInSec).isEqualTo(1234);
        // and a later retry may claim it again
        assertThatThrownBy(() -> runs.retry("r1")).hasMessage("the cluster refused");
    }

    @OnEachDatabase
    void aRecurringRunWhoseScheduleCannotBeCreatedIsNotKept(TestDatabase db) {
        String version = version(db);
        RecurringRuns recurringRuns = new RecurringRuns(db.get(JobStore.class), db.get(ExperimentStore.class),
                new PipelineSources(db.get(PipelineStore.class)), defaultExperiment(db), new Refusing());
        Job j = new Job();
        j.displayName = "refused";
        j.maxConcurrency = 1;
        j.schedule = "0 0 * * * *";
        assertThatThrownBy(() -> recurringRuns.create(j, "", version, false, "display_name")).hasMessage("the cluster refused");
        assertThat(db.count("jobs")).isZero();
        assertThat(((Number) db.queryValue("SELECT COUNT(*) FROM resource_references WHERE \"ResourceType\" = 'Job'")).longValue())
                .isZero();
    }
}
