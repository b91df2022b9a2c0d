package kfp.server.service;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import kfp.server.convert.RecurringRunConverter;
import kfp.server.errors.ApiErrors;
import kfp.server.execution.Execution;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.Job;
import kfp.store.api.JobStore;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;

/**
 * The recurring run rules both API versions share: a display name, 1 to 10 concurrent runs, a
 * cron expression KFP's controller can parse ({@link CronSchedules}) or an interval of at least a
 * second, the default experiment unless one is named; and the order of store and
 * {@link Execution} calls, so that a failed schedule leaves no row behind.
 */
@Singleton
final class RecurringRuns {

    static final long MIN_CONCURRENCY = 1;
    static final long MAX_CONCURRENCY = 10;

    private final JobStore jobs;
    private final ExperimentStore experiments;
    private final PipelineSources sources;
    private final DefaultExperiment defaultExperiment;
    private final Execution execution;

    @Inject
    RecurringRuns(JobStore jobs, ExperimentStore experiments, PipelineSources sources, DefaultExperiment defaultExperiment,
            Execution execution) {
        this.jobs = jobs;
        this.experiments = experiments;
        this.sources = sources;
        this.defaultExperiment = defaultExperiment;
        this.execution = execution;
    }

    /**
     * Stores a recurring run and creates its schedule; when the schedule cannot be created the
     * row is deleted again. {@code pinLatest}: v1 pins a pipeline's latest version now, v2 leaves
     * a pipeline id alone unpinned.
     */
    Job create(Job j, String pipelineId, String pipelineVersionId, boolean pinLatest, String nameField) {
        Calls.required(j.displayName, nameField);
        if (j.maxConcurrency < MIN_CONCURRENCY || j.maxConcurrency > MAX_CONCURRENCY) {
            throw ApiErrors.invalidArgument("max_concurrency must be between " + MIN_CONCURRENCY + " and " + MAX_CONCURRENCY
                    + ", not " + j.maxConcurrency);
        }
        if (RecurringRunConverter.hasCron(j)) {
            CronSchedules.check(j.schedule);
        } else if (j.intervalSecond != null && j.intervalSecond < 1) {
            throw ApiErrors.invalidArgument("A periodic schedule's interval_second must be at least 1, not " + j.intervalSecond);
        }
        j.experimentId = j.experimentId.isEmpty() ? defaultExperiment.ensure() : j.experimentId;
        // the experiment's, as for runs (docs/kfp-compatibility.md#recurring-run-namespace)
        j.namespace = experiments.getExperiment(j.experimentId).namespace();
        sources.resolve(j, pipelineId, pipelineVersionId, pinLatest);
        j.serviceAccount = j.serviceAccount.isEmpty() ? Runs.DEFAULT_SERVICE_ACCOUNT : j.serviceAccount;
        j.conditions = j.enabled ? "ENABLED" : "DISABLED";
        Job stored = jobs.createJob(j);
        Execution.orUndo(() -> execution.createRecurringRun(stored), () -> jobs.deleteJob(stored.uuid));
        return stored;
    }

    Job get(String id) {
        return jobs.getJob(id);
    }

    /** Recurring runs of an experiment (NotFound when it does not exist), else all (single-user: one namespace). */
    ListResult<Job> list(ResourceType scope, String scopeId, ListOptions options) {
        if (scope == ResourceType.EXPERIMENT) {
            return Experiments.inExperiment(experiments, scopeId,
                    jobs.listJobs(FilterContext.of(ResourceType.EXPERIMENT, scopeId), options));
        }
        return jobs.listJobs(FilterContext.NONE, options);
    }

    /** The schedule first (as KFP patches its ScheduledWorkflow first), then the row. */
    void setEnabled(String id, boolean enabled) {
        execution.setRecurringRunEnabled(jobs.getJob(id), enabled);
        jobs.changeJobMode(id, enabled);
    }

    /** The schedule (a missing one is fine), then the row and its references; its runs stay. */
    void delete(String id) {
        execution.deleteRecurringRun(jobs.getJob(id));
        jobs.deleteJob(id);
    }
}
