package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kfp.store.api.AbortedException;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.NotFoundException;
import kfp.store.api.RetryClaim;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.api.StateChange;
import kfp.store.api.Task;
import kfp.store.api.TaskStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** RunStore outside of ListRuns, with the cases of KFP's run store tests ({@code docs/kfp-compatibility.md#no-aggregate}, {@code #state-history}). */
@StoreTest
class RunStoreTest {

    static Run run(String id, String experimentId) {
        Run r = new Run();
        r.uuid = id;
        r.experimentId = experimentId;
        r.displayName = "run " + id;
        r.name = "workflow-" + id;
        r.namespace = "ns1";
        r.serviceAccount = "pipeline-runner";
        r.pipelineSpecManifest = "{\"spec\":1}";
        r.workflowRuntimeManifest = "workflow runtime manifest";
        r.runtimeParameters = "{\"param1\":\"world\"}";
        r.createdAtInSec = 10;
        r.scheduledAtInSec = 11;
        r.state = RuntimeStates.RUNNING;
        return r;
    }

    static RunStore fixture(TestDatabase db) {
        Rows.experiment(db, "exp1", "ns1");
        Rows.experiment(db, "exp2", "ns1");
        Rows.job(db, "job1", "exp1");
        Rows.pipelineWithVersion(db, "p1", "v1");
        return db.get(RunStore.class);
    }

    @OnEachDatabase
    void createAndGet(TestDatabase db) {
        RunStore store = fixture(db);
        Run in = run("r1", "exp1");
        in.pluginsInput = "{\"mlflow\":{}}";
        in.pluginsOutput = "";
        Run created = store.createRun(in);
        assertThat(created.conditions).isEqualTo("Running");
        assertThat(created.storageState).isEqualTo(RuntimeStates.AVAILABLE);
        assertThat(created.stateHistory).containsExactly(new StateChange(1, RuntimeStates.RUNNING));

        Run got = store.getRun("r1");
        assertThat(got).usingRecursiveComparison().isEqualTo(created);
        assertThat(got.pluginsOutput).isNull(); // '' is stored as NULL
        assertThat(db.queryValue("SELECT \"PluginsOutput\" FROM run_details")).isNull();
        assertThat(db.queryValue("SELECT \"JobUUID\" FROM run_details")).isEqualTo("");
    }

    /** Kept from KFP: what a run names must exist, and a failed create stores nothing ({@code docs/kfp-compatibility.md#references-checked}). */
    @OnEachDatabase
    void createChecksWhatTheRunNamesAndStoresReferences(TestDatabase db) {
        RunStore store = fixture(db);
        Run r = run("r1", "exp1");
        r.recurringRunId = "job1";
        r.pipelineId = "p1";
        r.pipelineVersionId = "v1";
        r.createdAtInSec = 77;
        store.createRun(r);
        assertThat(store.getRun("r1").resourceReferences).extracting(ref -> ref.referenceType() + "/" + ref.referenceUuid()
                + "/" + ref.relationship()).containsExactlyInAnyOrder("EXPERIMENT/exp1/OWNER", "NAMESPACE/ns1/OWNER",
                "JOB/job1/CREATOR");
        assertThat(db.queryValue("SELECT \"LastRunCreatedAtInSec\" FROM experiments WHERE \"UUID\" = 'exp1'")).isEqualTo(77L);

        for (java.util.function.Consumer<Run> broken : List.<java.util.function.Consumer<Run>>of(
                x -> x.experimentId = "nope", x -> x.recurringRunId = "nope", x -> x.pipelineId = "nope",
                x -> x.pipelineVersionId = "nope")) {
            Run bad = run("r2", "exp1");
            bad.recurringRunId = "job1";
            broken.accept(bad);
            assertThatThrownBy(() -> store.createRun(bad)).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
        }
        Run noExperiment = run("r3", "");
        assertThatThrownBy(() -> store.createRun(noExperiment)).isInstanceOf(InvalidArgumentException.class);
        assertThat(db.count("run_details")).isEqualTo(1);
        assertThat(db.count("resource_references")).isEqualTo(3);
    }

    @OnEachDatabase
    void createDerivesStateFromConditionsAndRejectsBadStorageState(TestDatabase db) {
        RunStore store = fixture(db);
        Run v1 = run("r1", "exp1");
        v1.state = null;
        v1.conditions = "Succeeded";
        assertThat(store.createRun(v1).state).isEqualTo(RuntimeStates.SUCCEEDED);
        Run bad = run("r2", "exp1");
        bad.storageState = "SHELVED";
        assertThatThrownBy(() -> store.createRun(bad)).isInstanceOf(InvalidArgumentException.class);
        assertThat(db.count("run_details")).isEqualTo(1);
    }

    @OnEachDatabase
    void duplicateIdIsAlreadyExistsButARecurringRunsRunIsIdempotent(TestDatabase db) {
        RunStore store = fixture(db);
        store.createRun(run("r1", "exp1"));
        assertThatThrownBy(() -> store.createRun(run("r1", "exp1"))).isInstanceOf(AlreadyExistsException.class);

        Run scheduled = run("r2", "exp1");
        scheduled.recurringRunId = "job1";
        store.createRun(scheduled);
        Run again = run("r2", "exp1");
        again.recurringRunId = "job1";
        again.displayName = "other";
        assertThat(store.createRun(again).displayName).isEqualTo("run r2");
        assertThat(db.count("run_details")).isEqualTo(2);
    }

    @OnEachDatabase
    void getMissingRunIsNotFound(RunStore store) {
        assertThatThrownBy(() -> store.getRun("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("Run nope not found");
    }

    /** The report's state is appended to the stored history ({@code docs/kfp-compatibility.md#state-history}). */
    @OnEachDatabase
    void updateRunAppendsToTheStoredHistory(TestDatabase db) {
        RunStore store = fixture(db);
        store.createRun(run("r1", "exp1")); // history [1 RUNNING]
        Run report = new Run();
        report.uuid = "r1";
        report.state = RuntimeStates.SUCCEEDED;
        report.conditions = "Succeeded";
        report.finishedAtInSec = 100;
        report.scheduledAtInSec = 555; // not updatable
        report.workflowRuntimeManifest = "new manifest";
        store.updateRun(report);

        Run got = store.getRun("r1");
        assertThat(got.state).isEqualTo(RuntimeStates.SUCCEEDED);
        assertThat(got.conditions).isEqualTo("Succeeded");
        assertThat(got.finishedAtInSec).isEqualTo(100);
        assertThat(got.scheduledAtInSec).isEqualTo(11);
        assertThat(got.workflowRuntimeManifest).isEqualTo("new manifest");
        assertThat(got.stateHistory).containsExactly(new StateChange(1, RuntimeStates.RUNNING),
                new StateChange(2, RuntimeStates.SUCCEEDED));
        // the same state again adds nothing
        store.updateRun(report);
        assertThat(store.getRun("r1").stateHistory).hasSize(2);
    }

    @OnEachDatabase
    void updateRunKeepsPluginsUnlessGiven(TestDatabase db) {
        RunStore store = fixture(db);
        Run r = run("r1", "exp1");
        r.pluginsInput = "{\"in\":1}";
        r.pluginsOutput = "{\"out\":1}";
        store.createRun(r);
        Run report = new Run();
        report.uuid = "r1";
        report.state = RuntimeStates.RUNNING;
        store.updateRun(report);
        assertThat(store.getRun("r1").pluginsOutput).isEqualTo("{\"out\":1}");
        store.updateRunPluginsOutput("r1", "{\"out\":2}");
        Run got = store.getRun("r1");
        assertThat(got.pluginsOutput).isEqualTo("{\"out\":2}");
        assertThat(got.pluginsInput).isEqualTo("{\"in\":1}");
        assertThat(got.state).isEqualTo(RuntimeStates.RUNNING);
        assertThatThrownBy(() -> store.updateRunPluginsOutput("nope", "x")).isInstanceOf(NotFoundException.class);
    }

    @OnEachDatabase
    void updateOfAMissingRunIsNotFoundAndAStaleGenerationIsAborted(TestDatabase db) {
        RunStore store = fixture(db);
        Run report = new Run();
        report.uuid = "2000";
        report.state = RuntimeStates.RUNNING;
        assertThatThrownBy(() -> store.updateRun(report)).isInstanceOf(NotFoundException.class).hasMessageContaining("Run 2000 not found");
        Run r = run("r1", "exp1");
        r.state = RuntimeStates.FAILED;
        store.createRun(r);
        store.claimRunForRetry("r1", false); // generation 1
        Run stale = new Run();
        stale.uuid = "r1";
        stale.state = RuntimeStates.FAILED;
        assertThatThrownBy(() -> store.updateRun(stale)).isInstanceOf(AbortedException.class);
        stale.retryGeneration = 1;
        store.updateRun(stale);
        assertThat(store.getRun("r1").state).isEqualTo(RuntimeStates.FAILED);
    }

    @OnEachDatabase
    void archiveStampsAndUnarchiveClears(TestDatabase db) {
        RunStore store = fixture(db);
        store.createRun(run("r1", "exp1")); // clock 1
        store.archiveRun("r1"); // clock 2
        Run got = store.getRun("r1");
        assertThat(got.storageState).isEqualTo(RuntimeStates.ARCHIVED);
        assertThat(got.archivedAtInSec).isEqualTo(2);
        store.unarchiveRun("r1");
        got = store.getRun("r1");
        assertThat(got.storageState).isEqualTo(RuntimeStates.AVAILABLE);
        assertThat(got.archivedAtInSec).isZero();
        assertThatThrownBy(() -> store.archiveRun("nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.unarchiveRun("nope")).isInstanceOf(NotFoundException.class);
    }

    @OnEachDatabase
    void deleteRemovesTheRunWithItsChildrenOnly(TestDatabase db) {
        RunStore store = fixture(db);
        TaskStore tasks = db.get(TaskStore.class);
        for (String id : List.of("r1", "r2")) {
            store.createRun(run(id, "exp1"));
            store.createMetric(new RunMetric(id, "node1", "accuracy", 0.5, "RAW"));
            tasks.createTask(TaskStoreTest.task(id, "pod-" + id));
        }
        store.deleteRun("r1");
        assertThatThrownBy(() -> store.getRun("r1")).isInstanceOf(NotFoundException.class);
        assertThat(db.query("SELECT \"RunUUID\" FROM run_metrics")).containsExactly(List.of("r2"));
        assertThat(db.query("SELECT \"RunUUID\" FROM tasks")).containsExactly(List.of("r2"));
        assertThat(store.getRun("r2").tasks).hasSize(1);
        assertThat(db.query("SELECT DISTINCT \"ResourceUUID\" FROM resource_references")).containsExactly(List.of("r2"));
        assertThatThrownBy(() -> store.deleteRun("r1")).isInstanceOf(NotFoundException.class);
    }

    @OnEachDatabase
    void metricIsReportedOncePerNodeAndName(TestDatabase db) {
        RunStore store = fixture(db);
        store.createRun(run("r1", "exp1"));
        store.createMetric(new RunMetric("r1", "node1", "accuracy", 0.75, "PERCENTAGE"));
        store.createMetric(new RunMetric("r1", "node2", "accuracy", 0.5, "RAW"));
        store.createMetric(new RunMetric("r1", "node1", "Accuracy", 0.25, "RAW")); // names are case-sensitive keys
        assertThatThrownBy(() -> store.createMetric(new RunMetric("r1", "node1", "accuracy", 0.9, "RAW")))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("node1/accuracy");
        assertThatThrownBy(() -> store.createMetric(new RunMetric("nope", "node1", "accuracy", 0.9, "RAW")))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.getRun("r1").metrics).extracting(m -> m.nodeId + "/" + m.name + "=" + m.numberValue)
                .containsExactly("node1/Accuracy=0.25", "node1/accuracy=0.75", "node2/accuracy=0.5");
        assertThat((String) db.queryValue("SELECT \"Payload\" FROM run_metrics WHERE \"NodeID\" = 'node2'"))
                .isEqualTo("{\"RunUUID\":\"r1\",\"NodeID\":\"node2\",\"Name\":\"accuracy\",\"NumberValue\":0.5,\"Format\":\"RAW\",\"Payload\":\"\"}");
    }

    /** Terminating appends to the history, and legacy rows without a State can be terminated ({@code docs/kfp-compatibility.md#state-history}). */
    @OnEachDatabase
    void terminate(TestDatabase db) {
        RunStore store = fixture(db);
        store.createRun(run("r1", "exp1"));
        store.terminateRun("r1");
        Run got = store.getRun("r1");
        assertThat(got.state).isEqualTo(RuntimeStates.CANCELING);
        assertThat(got.conditions).isEqualTo("Terminating");
        assertThat(got.stateHistory).extracting(StateChange::state).containsExactly(RuntimeStates.RUNNING, RuntimeStates.CANCELING);

        Run done = run("r2", "exp1");
        done.state = RuntimeStates.SUCCEEDED;
        store.createRun(done);
        assertThatThrownBy(() -> store.terminateRun("r2")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.terminateRun("nope")).isInstanceOf(NotFoundException.class);

        Rows.run(db, "legacy", "exp1"); // State NULL, Conditions Running
        store.terminateRun("legacy");
        assertThat(store.getRun("legacy").state).isEqualTo(RuntimeStates.CANCELING);
    }

    @OnEachDatabase
    void runIdByRecurringRunAndDisplayName(TestDatabase db) {
        RunStore store = fixture(db);
        Run r = run("r1", "exp1");
        r.recurringRunId = "job1";
        store.createRun(r);
        Run newer = run("r2", "exp1");
        newer.recurringRunId = "job1";
        newer.createdAtInSec = 20;
        store.createRun(newer);
        assertThat(store.getRunIdByRecurringRunIdAndDisplayName("job1", "run r1")).isEqualTo("r1");
        assertThat(store.getRunIdByRecurringRunIdAndDisplayName("job2", "run r1")).isEmpty();
        assertThat(store.getRunIdByRecurringRunIdAndDisplayName("job1", "other")).isEmpty();
    }

    /** Nothing is aggregated into a string, so nothing is truncated ({@code docs/kfp-compatibility.md#no-aggregate}). */
    @OnEachDatabase
    void aRunWithManyLargeChildrenRoundTripsExactly(TestDatabase db) {
        RunStore store = fixture(db);
        store.createRun(run("big", "exp1"));
        TaskStore tasks = db.get(TaskStore.class);
        String kb2 = "x".repeat(2048);
        List<Task> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Task t = TaskStoreTest.task("big", String.format("pod-%03d", i));
            t.mlmdOutputs = i + kb2;
            batch.add(t);
        }
        tasks.createOrUpdateTasks("big", batch);
        for (int i = 0; i < 200; i++) { // every column at its MySQL size: the largest metric KFP can hold
            store.createMetric(new RunMetric("big", "n".repeat(191), String.format("m-%03d-", i) + "y".repeat(185),
                    (double) i, "f".repeat(255)));
        }
        Run got = store.getRun("big");
        assertThat(got.tasks).hasSize(500);
        assertThat(got.tasks).extracting(t -> t.mlmdOutputs).allSatisfy(o -> assertThat(o).hasSize(2048 + o.indexOf('x')));
        assertThat(got.tasks.stream().map(t -> t.podName).sorted().toList())
                .isEqualTo(batch.stream().map(t -> t.podName).toList());
        assertThat(got.metrics).hasSize(200);
        assertThat(got.metrics).allSatisfy(m -> assertThat(m.format).hasSize(255));
        assertThat(got.metrics).allSatisfy(m -> assertThat(m.name).hasSize(191));
        assertThat(got.metrics.get(199).numberValue).isEqualTo(199.0);
    }

    @OnEachDatabase
    void retryClaimAndRollback(TestDatabase db) {
        RunStore store = fixture(db);
        Run r = run("r1", "exp1");
        r.state = RuntimeStates.FAILED;
        r.finishedAtInSec = 50;
        store.createRun(r);
        assertThatThrownBy(() -> store.claimRunForRetry("nope", false)).isInstanceOf(NotFoundException.class);

        db.clock().setNext(1000);
        RetryClaim claim = store.claimRunForRetry("r1", false);
        assertThat(claim).isEqualTo(new RetryClaim(RuntimeStates.FAILED, "Failed", 50, 1));
        Run claimed = store.getRun("r1");
        assertThat(claimed.state).isEqualTo(RuntimeStates.PENDING);
        assertThat(claimed.conditions).isEqualTo("Pending");
        assertThat(claimed.finishedAtInSec).isZero();
        assertThat(claimed.retryClaimedAtInSec).isEqualTo(1000);
        // a PENDING run is not finished; taking over needs authorisation and an expired claim
        assertThatThrownBy(() -> store.claimRunForRetry("r1", false)).isInstanceOf(AbortedException.class);
        db.clock().setNext(1000 + RunStore.RETRY_CLAIM_GRACE_SECONDS - 1);
        assertThatThrownBy(() -> store.claimRunForRetry("r1", true)).isInstanceOf(AbortedException.class);
        db.clock().setNext(1000 + RunStore.RETRY_CLAIM_GRACE_SECONDS);
        RetryClaim takeover = store.claimRunForRetry("r1", true);
        assertThat(takeover.generation()).isEqualTo(2);

        assertThat(store.rollbackRetryClaim("r1", claim)).isFalse(); // superseded: nothing changes
        assertThat(store.getRun("r1").state).isEqualTo(RuntimeStates.PENDING);
        assertThat(store.rollbackRetryClaim("r1", new RetryClaim(RuntimeStates.FAILED, "Failed", 50, 2))).isTrue();
        Run back = store.getRun("r1");
        assertThat(back.state).isEqualTo(RuntimeStates.FAILED);
        assertThat(back.finishedAtInSec).isEqualTo(50);
        assertThat(back.retryClaimedAtInSec).isZero();
        assertThat(back.retryGeneration).isEqualTo(2);
    }

    @OnEachDatabase
    void legacyRunWithOnlyConditionsCanBeClaimed(TestDatabase db) {
        RunStore store = fixture(db);
        Rows.run(db, "legacy", "exp1");
        db.update("UPDATE run_details SET \"Conditions\" = 'Failed' WHERE \"UUID\" = 'legacy'");
        assertThat(store.claimRunForRetry("legacy", false)).isEqualTo(new RetryClaim(null, "Failed", 0, 1));
    }
}
