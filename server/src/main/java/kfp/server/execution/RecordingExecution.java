package kfp.server.execution;

import kfp.store.api.Job;
import kfp.store.api.Run;

/**
 * The server as a metadata service: every change is recorded by the stores and nothing runs. A
 * run stays PENDING (or CANCELING, or claimed for a retry) until a workflow report says
 * otherwise; a recurring run's schedule is stored and starts nothing
 * (docs/kfp-compatibility.md#metadata-execution).
 */
final class RecordingExecution implements Execution {

    @Override
    public void createRun(Run run) {
    }

    @Override
    public void terminateRun(Run run) {
    }

    @Override
    public void retryRun(Run run) {
    }

    @Override
    public void deleteRun(Run run) {
    }

    @Override
    public void createRecurringRun(Job job) {
    }

    @Override
    public void setRecurringRunEnabled(Job job, boolean enabled) {
    }

    @Override
    public void deleteRecurringRun(Job job) {
    }
}
