package kfp.server.service;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import kfp.server.convert.ScheduledWorkflows;
import kfp.server.convert.Workflows;
import kfp.server.errors.ApiErrors;
import kfp.store.api.AbortedException;
import kfp.store.api.Job;
import kfp.store.api.JobStore;
import kfp.store.api.NotFoundException;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.api.TaskStore;

/**
 * What the persistence agent reports, recorded (both API versions share it). The server records
 * only: it neither deletes nor labels workflows (docs/kfp-compatibility.md#report-records-only).
 * Errors follow the agent's retry rule: InvalidArgument and NotFound are final, anything else is
 * retried (Unavailable when the server asks for that).
 */
@Singleton
final class Reports {

    /** KFP's WORKFLOW_GC_GRACE_PERIOD_SECONDS default: a run row may still be on its way this long after its workflow is created. */
    static final long WORKFLOW_GC_GRACE_PERIOD_SECONDS = 120;

    private final RunStore runs;
    private final TaskStore tasks;
    private final JobStore jobs;
    private final DefaultExperiment defaultExperiment;

    @Inject
    Reports(RunStore runs, TaskStore tasks, JobStore jobs, DefaultExperiment defaultExperiment) {
        this.runs = runs;
        this.tasks = tasks;
        this.jobs = jobs;
        this.defaultExperiment = defaultExperiment;
    }

    /**
     * The run of the workflow takes its state, finished time and manifest (a history entry only
     * when the state changes), and a task per node. A recurring run's workflow whose run does not
     * exist yet creates it from the recurring run. A finished run ignores a report that is not
     * final (a late one: docs/kfp-compatibility.md#late-report); the same final report again
     * changes nothing. A report of another retry generation is InvalidArgument
     * (docs/kfp-compatibility.md#stale-retry-report).
     */
    void reportWorkflow(String workflowJson) {
        Workflows.Report wf = Workflows.read(workflowJson);
        Run run = find(wf.runId());
        if (run == null && !wf.scheduledWorkflowUid().isEmpty()) {
            // the run the scheduler may have created for this workflow through CreateRun, else a new
            // one under the workflow's run id label: the id the launcher and the metrics reporter use
            String scheduledId = ScheduledRunIds.of(wf.scheduledWorkflowUid(), wf.name());
            run = scheduledId.equals(wf.runId()) ? null : find(scheduledId);
            if (run == null) {
                run = createScheduled(wf, wf.runId());
            }
        }
        if (run == null) {
            long age = System.currentTimeMillis() / 1000 - wf.createdAtInSec();
            if (age < WORKFLOW_GC_GRACE_PERIOD_SECONDS) {
                throw ApiErrors.unavailable("Run " + wf.runId() + " of workflow " + wf.name()
                        + " not found yet (the workflow is " + age + "s old): report again");
            }
            throw ApiErrors.notFound("Run " + wf.runId() + " of workflow " + wf.name() + " not found");
        }
        if (run.retryGeneration != wf.retryGeneration()) {
            throw staleGeneration(run.uuid, wf.retryGeneration(), run.retryGeneration);
        }
        boolean late = RuntimeStates.isTerminal(run.state) && !wf.isFinal();
        if (late) {
            return;
        }
        // tasks first (one transaction): a task the store refuses leaves the run as it was
        if (!wf.tasks().isEmpty()) {
            String runId = run.uuid;
            wf.tasks().forEach(t -> t.runId = runId);
            tasks.createOrUpdateTasks(runId, wf.tasks());
        }
        if (!sameStatus(run, wf)) {
            Run report = new Run();
            report.uuid = run.uuid;
            report.state = wf.state();
            report.finishedAtInSec = wf.finishedAtInSec();
            report.workflowRuntimeManifest = wf.manifest();
            report.retryGeneration = wf.retryGeneration();
            try {
                runs.updateRun(report);
            } catch (AbortedException e) { // a retry claimed the run since it was read: this report is stale
                Run now = find(run.uuid);
                if (now != null && now.retryGeneration != wf.retryGeneration()) {
                    throw staleGeneration(run.uuid, wf.retryGeneration(), now.retryGeneration);
                }
                throw e;
            }
        }
    }

    /** The recurring run's new state from its ScheduledWorkflow; InvalidArgument when no recurring run has its UID (as KFP). */
    void reportScheduledWorkflow(String scheduledWorkflowJson) {
        var schedule = ScheduledWorkflows.read(scheduledWorkflowJson);
        try {
            jobs.updateJob(schedule);
        } catch (NotFoundException e) {
            throw ApiErrors.invalidArgument("There is no job corresponding to this scheduled workflow: " + schedule.uuid
                    + "/" + schedule.name);
        }
    }

    private Run find(String id) {
        try {
            return runs.getRun(id);
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** An identical report (a retry of one already recorded) writes nothing. */
    private static boolean sameStatus(Run run, Workflows.Report wf) {
        return wf.state().equals(run.state) && wf.finishedAtInSec() == run.finishedAtInSec
                && wf.manifest().equals(run.workflowRuntimeManifest);
    }

    /**
     * The run of a recurring run's workflow, from the recurring run (NotFound when it is gone):
     * its experiment (or the default one), pipeline and parameters; named after the workflow,
     * created and scheduled when the workflow was, with the reported state. Its id is the
     * workflow's run id label, as in KFP: the launcher's tasks and the agent's metrics name it.
     */
    private Run createScheduled(Workflows.Report wf, String id) {
        Job job = jobs.getJob(wf.scheduledWorkflowUid());
        Run r = new Run();
        r.uuid = id;
        r.recurringRunId = job.uuid;
        r.experimentId = job.experimentId.isEmpty() ? defaultExperiment.id() : job.experimentId;
        r.namespace = job.namespace;
        r.displayName = wf.name();
        r.name = wf.name();
        r.serviceAccount = job.serviceAccount;
        r.pipelineId = job.pipelineId;
        r.pipelineVersionId = job.pipelineVersionId;
        r.pipelineName = job.pipelineName;
        r.pipelineSpecManifest = job.pipelineSpecManifest;
        r.workflowSpecManifest = wf.specManifest();
        r.parameters = job.parameters;
        r.runtimeParameters = job.runtimeParameters;
        r.pipelineRoot = job.pipelineRoot;
        r.storageState = RuntimeStates.AVAILABLE;
        r.createdAtInSec = wf.createdAtInSec();
        r.scheduledAtInSec = wf.scheduledAtInSec() != 0 ? wf.scheduledAtInSec() : wf.createdAtInSec();
        r.finishedAtInSec = wf.finishedAtInSec();
        r.state = wf.state();
        r.workflowRuntimeManifest = wf.manifest();
        return runs.createRun(r); // a concurrent create of the same run returns the stored one, updated next
    }

    private static RuntimeException staleGeneration(String runId, long reported, long current) {
        return ApiErrors.invalidArgument("Workflow report for run " + runId + " carries retry generation " + reported
                + ", the run is at " + current + ": a superseded workflow's report is not recorded");
    }
}
