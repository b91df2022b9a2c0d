package kfp.server.service;

import static kfp.server.testing.SwaggerValidator.V1;
import static kfp.server.testing.SwaggerValidator.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import kfp.server.proto.v1beta1.ReportScheduledWorkflowRequest;
import kfp.server.proto.v1beta1.ReportServiceGrpc.ReportServiceBlockingStub;
import kfp.server.proto.v1beta1.ReportWorkflowRequest;
import kfp.server.testing.ApiTestServer;
import kfp.server.testing.ArgoWorkflows;
import kfp.server.testing.RunRows;
import kfp.store.api.Job;
import kfp.store.api.JobStore;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.api.StateChange;
import kfp.store.api.Task;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * The persistence agent's reports ({@code ReportService}, v1beta1 over gRPC as the agent calls it,
 * both versions over REST): Argo Workflows as Kubernetes serves them, from Running to Succeeded,
 * retried, late, for missing runs, for recurring runs; ScheduledWorkflows.
 */
@StoreTest
class ReportApiTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String POD = "wf-1-system-container-executor-3034414238";

    @OnEachDatabase
    void workflowProgressOverGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            RunRows.pending(db, "run-1", "wf-1");
            ReportServiceBlockingStub grpc = api.grpc(ReportServiceBlockingStub.class);
            RunStore runs = db.get(RunStore.class);

            grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-1", "run-1", NOW).phase("Running", NOW, null)));
            Run running = runs.getRun("run-1");
            assertThat(running.state).isEqualTo("RUNNING");
            assertThat(running.conditions).isEqualTo("Running");
            assertThat(running.finishedAtInSec).isZero();
            assertThat(running.workflowRuntimeManifest).contains("\"phase\":\"Running\"");
            assertThat(running.tasks).extracting(t -> t.podName + " " + t.name + " " + t.state)
                    .containsExactlyInAnyOrder("wf-1 wf-1 RUNNING", POD + " print-msg RUNNING");
            Task pod = running.tasks.stream().filter(t -> t.podName.equals(POD)).findFirst().orElseThrow();
            assertThat(pod.startedTimestamp).isEqualTo(NOW.getEpochSecond());
            assertThat(pod.finishedTimestamp).as("not Go's year 1").isZero();
            assertThat(pod.createdTimestamp).isEqualTo(NOW.getEpochSecond());
            assertThat(pod.childrenPods).isEmpty();

            // the agent resyncs: the same phase again appends nothing
            grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-1", "run-1", NOW).phase("Running", NOW, null)));
            assertThat(states(runs.getRun("run-1").stateHistory)).containsExactly("PENDING", "RUNNING");

            Instant end = NOW.plusSeconds(42);
            String succeeded = ArgoWorkflows.of("wf-1", "run-1", NOW).phase("Succeeded", NOW, end).json();
            grpc.reportWorkflowV1(ReportWorkflowRequest.newBuilder().setWorkflow(succeeded).build());
            Run done = runs.getRun("run-1");
            assertThat(done.state).isEqualTo("SUCCEEDED");
            assertThat(done.conditions).isEqualTo("Succeeded");
            assertThat(done.finishedAtInSec).isEqualTo(end.getEpochSecond());
            assertThat(done.workflowRuntimeManifest).isEqualTo(succeeded);
            assertThat(states(done.stateHistory)).containsExactly("PENDING", "RUNNING", "SUCCEEDED");
            assertThat(done.tasks).extracting(t -> t.podName + " " + t.state + " " + t.finishedTimestamp)
                    .containsExactlyInAnyOrder("wf-1 SUCCEEDED " + end.getEpochSecond(), POD + " SUCCEEDED " + end.getEpochSecond());
            assertThat(db.count("tasks")).isEqualTo(2);

            // the agent retries the final report (it did not see the answer): OK, nothing changes
            List<List<Object>> before = snapshot(db);
            grpc.reportWorkflowV1(ReportWorkflowRequest.newBuilder().setWorkflow(succeeded).build());
            assertThat(snapshot(db)).isEqualTo(before);
            // a late report of the running workflow (an old item of the agent's queue) does not reopen the run
            grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-1", "run-1", NOW).phase("Running", NOW, null)));
            assertThat(snapshot(db)).isEqualTo(before);
        }
    }

    @OnEachDatabase
    void terminatedWorkflowIsCanceling(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            RunRows.pending(db, "run-t", "wf-t");
            ReportServiceBlockingStub grpc = api.grpc(ReportServiceBlockingStub.class);
            grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-t", "run-t", NOW).phase("Running", NOW, null).terminated()));
            assertThat(db.get(RunStore.class).getRun("run-t").state).isEqualTo("CANCELING");
            // Argo ends a terminated workflow as Failed: that is what the run becomes
            grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-t", "run-t", NOW).phase("Failed", NOW, NOW.plusSeconds(1)).terminated()));
            Run failed = db.get(RunStore.class).getRun("run-t");
            assertThat(failed.state).isEqualTo("FAILED");
            assertThat(states(failed.stateHistory)).containsExactly("PENDING", "CANCELING", "FAILED");
        }
    }

    @OnEachDatabase
    void missingRunsAndStaleReportsOverGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            ReportServiceBlockingStub grpc = api.grpc(ReportServiceBlockingStub.class);
            // a one-off workflow whose run row is not there: retry within the grace period, then give up
            assertThat(code(() -> grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-new", "no-run", NOW).phase("Running", NOW, null)))))
                    .isEqualTo(Status.Code.UNAVAILABLE);
            Instant old = NOW.minusSeconds(Reports.WORKFLOW_GC_GRACE_PERIOD_SECONDS + 5);
            assertThat(code(() -> grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-old", "no-run", old).phase("Running", old, null)))))
                    .isEqualTo(Status.Code.NOT_FOUND);
            // a recurring run that no longer exists
            assertThat(code(() -> grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-s", "no-run", NOW)
                    .phase("Running", NOW, null).ownedBy("no-such-recurring-run"))))).isEqualTo(Status.Code.NOT_FOUND);

            // a report from before a retry claim (an older generation): final for the agent, nothing written
            RunRows.pending(db, "run-r", "wf-r");
            db.update("UPDATE run_details SET \"RetryGeneration\" = 2 WHERE \"UUID\" = ?", "run-r");
            assertThat(code(() -> grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-r", "run-r", NOW)
                    .phase("Succeeded", NOW, NOW.plusSeconds(1)).retryGeneration(1))))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(db.get(RunStore.class).getRun("run-r").state).isEqualTo("PENDING");
            grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-r", "run-r", NOW).phase("Running", NOW, null).retryGeneration(2)));
            assertThat(db.get(RunStore.class).getRun("run-r").state).isEqualTo("RUNNING");
            // a node whose pod name the tasks table cannot hold: refused, and the run keeps its state
            assertThat(code(() -> grpc.reportWorkflowV1(report(ArgoWorkflows.of("w".repeat(300), "run-r", NOW)
                    .phase("Succeeded", NOW, NOW.plusSeconds(1)).retryGeneration(2))))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(db.get(RunStore.class).getRun("run-r").state).isEqualTo("RUNNING");

            // what the agent cannot fix by retrying
            assertThat(code(() -> grpc.reportWorkflowV1(ReportWorkflowRequest.newBuilder().setWorkflow("{not json").build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.reportWorkflowV1(ReportWorkflowRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-x", "run-r", NOW).without("uid")))))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.reportWorkflowV1(report(ArgoWorkflows.of("wf-x", "", NOW)))))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(db.count("tasks")).isEqualTo(2); // run-r's two nodes only
        }
    }

    @OnEachDatabase
    void recurringRunsWorkflowCreatesItsRun(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            Job job = RunRows.recurring(db, "swf-uid-1", "nightly");
            ReportServiceBlockingStub grpc = api.grpc(ReportServiceBlockingStub.class);
            // the ScheduledWorkflow controller labels a workflow it starts with a new id: the run's id
            grpc.reportWorkflowV1(report(ArgoWorkflows.of("nightly-1767225600", "random-id", NOW)
                    .phase("Running", NOW, null).ownedBy(job.uuid)));
            String id = "random-id";
            Run run = db.get(RunStore.class).getRun(id);
            assertThat(run.recurringRunId).isEqualTo(job.uuid);
            assertThat(run.experimentId).isEqualTo(job.experimentId);
            assertThat(run.displayName).isEqualTo("nightly-1767225600");
            assertThat(run.pipelineSpecManifest).isEqualTo(job.pipelineSpecManifest);
            assertThat(run.runtimeParameters).isEqualTo(job.runtimeParameters);
            assertThat(run.state).isEqualTo("RUNNING");
            assertThat(run.createdAtInSec).isEqualTo(NOW.getEpochSecond());
            assertThat(run.scheduledAtInSec).isEqualTo(1767225600L);
            assertThat(run.workflowSpecManifest).doesNotContain("\"status\"").contains("\"entrypoint\"");
            assertThat(run.tasks).hasSize(2);

            grpc.reportWorkflowV1(report(ArgoWorkflows.of("nightly-1767225600", "random-id", NOW)
                    .phase("Succeeded", NOW, NOW.plusSeconds(5)).ownedBy(job.uuid)));
            Run done = db.get(RunStore.class).getRun(id);
            assertThat(done.state).isEqualTo("SUCCEEDED");
            assertThat(states(done.stateHistory)).containsExactly("RUNNING", "SUCCEEDED");
            assertThat(db.count("run_details")).isEqualTo(1);
            assertThat(db.count("tasks")).isEqualTo(2);
            // the metrics reporter names the run by the same label
            var metrics = api.grpc(kfp.server.proto.v1beta1.RunServiceGrpc.RunServiceBlockingStub.class).reportRunMetricsV1(
                    kfp.server.proto.v1beta1.ReportRunMetricsRequest.newBuilder().setRunId(id).addMetrics(
                            kfp.server.proto.v1beta1.RunMetric.newBuilder().setName("accuracy").setNodeId(POD).setNumberValue(1))
                            .build());
            assertThat(metrics.getResults(0).getStatus().name()).isEqualTo("OK");

            // a run the scheduler created through CreateRun (its name-based id) takes the report of its workflow
            String created = ScheduledRunIds.of(job.uuid, "nightly-1767229200");
            Run scheduled = RunRows.pending(db, created, "nightly-1767229200");
            db.update("UPDATE run_details SET \"JobUUID\" = ? WHERE \"UUID\" = ?", job.uuid, scheduled.uuid);
            grpc.reportWorkflowV1(report(ArgoWorkflows.of("nightly-1767229200", "other-label", NOW)
                    .phase("Running", NOW, null).ownedBy(job.uuid)));
            assertThat(db.get(RunStore.class).getRun(created).state).isEqualTo("RUNNING");
            assertThat(db.count("run_details")).isEqualTo(2);
        }
    }

    @OnEachDatabase
    void scheduledWorkflowUpdatesItsRecurringRun(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            Job job = RunRows.recurring(db, "swf-uid-2", "nightly");
            ReportServiceBlockingStub grpc = api.grpc(ReportServiceBlockingStub.class);
            grpc.reportScheduledWorkflowV1(ReportScheduledWorkflowRequest.newBuilder()
                    .setScheduledWorkflow(ArgoWorkflows.scheduledWorkflow(job.uuid, false, "Disabled")).build());
            Job updated = db.get(JobStore.class).getJob(job.uuid);
            assertThat(updated.enabled).isFalse();
            assertThat(updated.conditions).isEqualTo("DISABLED");
            assertThat(updated.maxConcurrency).isEqualTo(3);
            assertThat(updated.noCatchup).isTrue();
            assertThat(updated.schedule).isEqualTo("0 0 * * * *");
            assertThat(updated.cronScheduleStartTimeInSec).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
            assertThat(updated.runtimeParameters).isEqualTo("{\"lr\":0.5}");

            assertThat(code(() -> grpc.reportScheduledWorkflowV1(ReportScheduledWorkflowRequest.newBuilder()
                    .setScheduledWorkflow(ArgoWorkflows.scheduledWorkflow("no-such-job", true, "Enabled")).build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.reportScheduledWorkflowV1(ReportScheduledWorkflowRequest.newBuilder()
                    .setScheduledWorkflow("[]").build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
    }

    @OnEachDatabase
    void overHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            RunRows.pending(db, "run-h", "wf-h");
            // the body is the workflow's JSON as a JSON string, on both versions
            api.post("/apis/v2beta1/workflows", ArgoWorkflows.of("wf-h", "run-h", NOW).phase("Running", NOW, null).restBody()).empty(V2);
            assertThat(db.get(RunStore.class).getRun("run-h").state).isEqualTo("RUNNING");
            String done = ArgoWorkflows.of("wf-h", "run-h", NOW).phase("Succeeded", NOW, NOW.plusSeconds(3)).restBody();
            api.post("/apis/v1beta1/workflows", done).empty(V1);
            api.post("/apis/v1beta1/workflows", done).empty(V1);
            assertThat(states(db.get(RunStore.class).getRun("run-h").stateHistory)).containsExactly("PENDING", "RUNNING", "SUCCEEDED");

            api.post("/apis/v2beta1/workflows", ArgoWorkflows.of("wf-n", "no-run", NOW).restBody()).error(V2, 503, 14);
            Instant old = NOW.minusSeconds(3600);
            api.post("/apis/v1beta1/workflows", ArgoWorkflows.of("wf-o", "no-run", old).restBody()).error(V1, 404, 5);
            api.post("/apis/v2beta1/workflows", "{\"metadata\":{}}").error(V2, 400, 3);        // an object, not a string
            api.post("/apis/v2beta1/workflows", "\"{not json\"").error(V2, 400, 3);           // a string, not a workflow
            api.post("/apis/v1beta1/workflows", "\"[1,2]\"").error(V1, 400, 3);
            api.post("/apis/v1beta1/workflows", "{\"metadata\":").error(V1, 400, 3);

            Job job = RunRows.recurring(db, "swf-uid-3", "nightly");
            String swf = ArgoWorkflows.scheduledWorkflow(job.uuid, true, "Enabled");
            api.post("/apis/v2beta1/scheduledworkflows", new com.fasterxml.jackson.databind.ObjectMapper().getNodeFactory()
                    .textNode(swf).toString()).empty(V2);
            assertThat(db.get(JobStore.class).getJob(job.uuid).maxConcurrency).isEqualTo(3);
            api.post("/apis/v1beta1/scheduledworkflows", "\"{}\"").error(V1, 400, 3);
            assertThat(db.count("run_details")).isEqualTo(1);
        }
    }

    private static ReportWorkflowRequest report(ArgoWorkflows wf) {
        return ReportWorkflowRequest.newBuilder().setWorkflow(wf.json()).build();
    }

    private static List<String> states(List<StateChange> history) {
        return history.stream().map(StateChange::state).toList();
    }

    /** Every stored column a report writes, of runs and tasks. */
    private static List<List<Object>> snapshot(TestDatabase db) {
        List<List<Object>> rows = new java.util.ArrayList<>(db.query("SELECT \"UUID\", \"State\", \"Conditions\", \"StateHistory\","
                + " \"FinishedAtInSec\", \"WorkflowRuntimeManifest\" FROM run_details ORDER BY \"UUID\""));
        rows.addAll(db.query("SELECT \"UUID\", \"PodName\", \"State\", \"StateHistory\", \"StartedTimestamp\", \"FinishedTimestamp\","
                + " \"Payload\" FROM tasks ORDER BY \"UUID\""));
        return rows;
    }

    private static Status.Code code(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
    }
}
