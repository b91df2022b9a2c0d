package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import kfp.store.api.DefaultExperimentStore;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.Job;
import kfp.store.api.JobStore;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.api.Relationship;
import kfp.store.api.ResourceReference;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.ResourceType;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.api.Task;
import kfp.store.api.TaskStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * Every string column a caller fills, written through its store with a value of exactly the
 * column's size and with one character more: the first is never refused for its length, the
 * second is InvalidArgument naming the API field, with nothing stored, on every database (KFP:
 * MySQL's "Data too long" as Internal for its 255-character columns, success on PostgreSQL; and
 * Internal on all three for the sized ones). Values hold emoji: lengths count UTF-16 code units,
 * as H2 does, so a value that passes fits on every database.
 */
@StoreTest
class ColumnLimitsTest {

    /** Columns only the stores fill: generated ids, normalised states, enumerations. */
    private static final Set<StringColumn> STORE_MADE = EnumSet.of(
            StringColumn.EXPERIMENT_UUID, StringColumn.EXPERIMENT_STORAGE_STATE,
            StringColumn.PIPELINE_UUID, StringColumn.PIPELINE_STATUS, StringColumn.PIPELINE_TAG_OWNER,
            StringColumn.VERSION_UUID, StringColumn.VERSION_STATUS, StringColumn.VERSION_TAG_OWNER,
            StringColumn.JOB_CONDITIONS, StringColumn.RUN_STORAGE_STATE, StringColumn.RUN_STATE, StringColumn.TASK_STATE,
            StringColumn.REFERENCE_RESOURCE_TYPE, StringColumn.REFERENCE_TYPE, StringColumn.REFERENCE_RELATIONSHIP);

    private int unique;

    private String unique() {
        return "u" + (++unique);
    }

    /** For each column a caller fills: a write through the store with the value in that column. */
    private Map<StringColumn, Consumer<String>> writers(TestDatabase db) {
        Rows.experiment(db, "e1", "ns");
        Rows.pipelineWithVersion(db, "p1", "v1");
        Rows.job(db, "j1", "e1");
        RunStore runs = db.get(RunStore.class);
        runs.createRun(RunStoreTest.run("r1", "e1"));
        ExperimentStore experiments = db.get(ExperimentStore.class);
        PipelineStore pipelines = db.get(PipelineStore.class);
        JobStore jobs = db.get(JobStore.class);
        TaskStore tasks = db.get(TaskStore.class);
        ResourceReferenceStore references = db.get(ResourceReferenceStore.class);

        Map<StringColumn, Consumer<String>> w = new EnumMap<>(StringColumn.class);
        w.put(StringColumn.DEFAULT_EXPERIMENT_ID, v -> db.get(DefaultExperimentStore.class).setDefaultExperimentId(v));
        w.put(StringColumn.EXPERIMENT_NAME, v -> experiments.createExperiment(Experiment.newExperiment(v, "", "ns")));
        w.put(StringColumn.EXPERIMENT_DESCRIPTION, v -> experiments.createExperiment(Experiment.newExperiment(unique(), v, "ns")));
        w.put(StringColumn.EXPERIMENT_NAMESPACE, v -> experiments.createExperiment(Experiment.newExperiment(unique(), "", v)));

        w.put(StringColumn.PIPELINE_NAME, v -> pipelines.createPipeline(Pipeline.newPipeline(v, "", "", "", Map.of())));
        w.put(StringColumn.PIPELINE_DISPLAY_NAME, v -> pipelines.createPipeline(Pipeline.newPipeline(unique(), v, "", "", Map.of())));
        w.put(StringColumn.PIPELINE_NAMESPACE, v -> pipelines.createPipeline(Pipeline.newPipeline(unique(), "", "", v, Map.of())));
        w.put(StringColumn.PIPELINE_DEFAULT_VERSION_ID, v -> pipelines.updatePipelineDefaultVersion("p1", v));
        w.put(StringColumn.PIPELINE_TAG_KEY, v -> pipelines.createOrUpdatePipelineTags("p1", Map.of(v, "x")));
        w.put(StringColumn.PIPELINE_TAG_VALUE, v -> pipelines.createOrUpdatePipelineTags("p1", Map.of("k", v)));
        w.put(StringColumn.VERSION_NAME, v -> pipelines.createPipelineVersion(version("p1", v, "", "")));
        w.put(StringColumn.VERSION_DISPLAY_NAME, v -> pipelines.createPipelineVersion(version("p1", unique(), v, "")));
        w.put(StringColumn.VERSION_PIPELINE_ID, v -> pipelines.createPipelineVersion(version(v, unique(), "", "")));
        w.put(StringColumn.VERSION_CODE_SOURCE_URL, v -> pipelines.createPipelineVersion(version("p1", unique(), "", v)));
        w.put(StringColumn.VERSION_TAG_KEY, v -> pipelines.createOrUpdatePipelineVersionTags("v1", Map.of(v, "x")));
        w.put(StringColumn.VERSION_TAG_VALUE, v -> pipelines.createOrUpdatePipelineVersionTags("v1", Map.of("k", v)));

        w.put(StringColumn.JOB_UUID, v -> jobs.createJob(job(v)));
        w.put(StringColumn.JOB_DISPLAY_NAME, v -> { Job j = job(unique()); j.displayName = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_NAME, v -> { Job j = job(unique()); j.name = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_NAMESPACE, v -> { Job j = job(unique()); j.namespace = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_SERVICE_ACCOUNT, v -> { Job j = job(unique()); j.serviceAccount = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_DESCRIPTION, v -> { Job j = job(unique()); j.description = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_EXPERIMENT_ID, v -> { Job j = job(unique()); j.experimentId = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_SCHEDULE, v -> { Job j = job(unique()); j.schedule = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_PIPELINE_ID, v -> { Job j = job(unique()); j.pipelineId = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_PIPELINE_VERSION_ID, v -> { Job j = job(unique()); j.pipelineVersionId = v; jobs.createJob(j); });
        w.put(StringColumn.JOB_PIPELINE_NAME, v -> { Job j = job(unique()); j.pipelineName = v; jobs.createJob(j); });

        w.put(StringColumn.RUN_UUID, v -> runs.createRun(RunStoreTest.run(v, "e1")));
        w.put(StringColumn.RUN_DISPLAY_NAME, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.displayName = v; runs.createRun(r); });
        w.put(StringColumn.RUN_NAME, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.name = v; runs.createRun(r); });
        w.put(StringColumn.RUN_DESCRIPTION, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.description = v; runs.createRun(r); });
        w.put(StringColumn.RUN_NAMESPACE, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.namespace = v; runs.createRun(r); });
        w.put(StringColumn.RUN_EXPERIMENT_ID, v -> runs.createRun(RunStoreTest.run(unique(), v)));
        w.put(StringColumn.RUN_RECURRING_RUN_ID, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.recurringRunId = v; runs.createRun(r); });
        w.put(StringColumn.RUN_SERVICE_ACCOUNT, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.serviceAccount = v; runs.createRun(r); });
        w.put(StringColumn.RUN_PIPELINE_ID, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.pipelineId = v; runs.createRun(r); });
        w.put(StringColumn.RUN_PIPELINE_VERSION_ID, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.pipelineVersionId = v; runs.createRun(r); });
        w.put(StringColumn.RUN_PIPELINE_NAME, v -> { Run r = RunStoreTest.run(unique(), "e1"); r.pipelineName = v; runs.createRun(r); });
        w.put(StringColumn.RUN_CONDITIONS, v -> { Run report = runs.getRun("r1"); report.conditions = v; runs.updateRun(report); });

        w.put(StringColumn.METRIC_RUN_ID, v -> runs.createMetric(new RunMetric(v, "n", "m", 1.0, "RAW")));
        w.put(StringColumn.METRIC_NODE_ID, v -> runs.createMetric(new RunMetric("r1", v, "m", 1.0, "RAW")));
        w.put(StringColumn.METRIC_NAME, v -> runs.createMetric(new RunMetric("r1", "n", v, 1.0, "RAW")));
        w.put(StringColumn.METRIC_FORMAT, v -> runs.createMetric(new RunMetric("r1", "n", unique(), 1.0, v)));

        w.put(StringColumn.TASK_UUID, v -> { Task t = task(unique()); t.uuid = v; tasks.createOrUpdateTasks("r1", List.of(t)); });
        w.put(StringColumn.TASK_NAMESPACE, v -> { Task t = task(unique()); t.namespace = v; tasks.createTask(t); });
        w.put(StringColumn.TASK_PIPELINE_NAME, v -> { Task t = task(unique()); t.pipelineName = v; tasks.createTask(t); });
        w.put(StringColumn.TASK_RUN_ID, v -> { Task t = task(unique()); t.runId = v; tasks.createTask(t); });
        w.put(StringColumn.TASK_POD_NAME, v -> tasks.createTask(task(v)));
        w.put(StringColumn.TASK_EXECUTION_ID, v -> { Task t = task(unique()); t.mlmdExecutionId = v; tasks.createTask(t); });
        w.put(StringColumn.TASK_FINGERPRINT, v -> { Task t = task(unique()); t.fingerprint = v; tasks.createTask(t); });
        w.put(StringColumn.TASK_NAME, v -> { Task t = task(unique()); t.name = v; tasks.createTask(t); });
        w.put(StringColumn.TASK_PARENT_TASK_ID, v -> { Task t = task(unique()); t.parentTaskId = v; tasks.createTask(t); });

        w.put(StringColumn.REFERENCE_RESOURCE_ID, v -> references.createResourceReferences(List.of(
                ResourceReference.of(v, ResourceType.EXPERIMENT, "ns", ResourceType.NAMESPACE, Relationship.OWNER))));
        w.put(StringColumn.REFERENCE_ID, v -> references.createResourceReferences(List.of(
                ResourceReference.of(unique(), ResourceType.RUN, v, ResourceType.NAMESPACE, Relationship.OWNER))));
        w.put(StringColumn.REFERENCE_NAME, v -> references.createResourceReferences(List.of(new ResourceReference(
                unique(), ResourceType.RUN, "ns", v, ResourceType.NAMESPACE, Relationship.OWNER))));

        w.put(StringColumn.EXECUTION_CACHE_KEY, v -> db.get(ExecutionCacheStore.class).createExecutionCache(v, "t", "o", -1));
        return w;
    }

    private static PipelineVersion version(String pipelineId, String name, String displayName, String codeSourceUrl) {
        return PipelineVersion.newVersion(pipelineId, name, displayName, "", "spec", "", codeSourceUrl, Map.of());
    }

    private static Job job(String id) {
        Job j = JobStoreTest.job(id, "job " + id, "e1");
        j.pipelineId = "p1";
        j.pipelineVersionId = "v1";
        return j;
    }

    private static Task task(String pod) {
        Task t = new Task();
        t.runId = "r1";
        t.podName = pod;
        return t;
    }

    /** A value of {@code length} UTF-16 code units, mostly emoji (two units each). */
    static String valueOf(int length) {
        return "\uD83D\uDE00".repeat(length / 2) + "x".repeat(length % 2);
    }

    @OnEachDatabase
    void everyColumnACallerFillsIsCheckedAtItsSize(TestDatabase db) {
        Map<StringColumn, Consumer<String>> writers = writers(db);
        assertThat(EnumSet.complementOf(EnumSet.copyOf(STORE_MADE)))
                .as("every column is either written here or made by the stores only")
                .containsExactlyInAnyOrderElementsOf(writers.keySet());
        for (Map.Entry<StringColumn, Consumer<String>> e : writers.entrySet()) {
            StringColumn column = e.getKey();
            String tooLong = "Invalid " + column.resource() + ": " + column.field() + " has " + (column.size() + 1)
                    + " characters; at most " + column.size() + " are allowed";
            Throwable atSize = catchThrowable(() -> e.getValue().accept(valueOf(column.size())));
            assertThat(atSize == null ? "" : atSize.getMessage()).as(column + " at its size").isNotEqualTo(
                    tooLong.replace(" has " + (column.size() + 1), " has " + column.size()));
            if (atSize != null && !(atSize instanceof kfp.store.api.NotFoundException)) {
                // a value that fits its own column may still not fit another one it is copied to
                assertThat(atSize).as(column + " at its size").isInstanceOf(InvalidArgumentException.class)
                        .hasMessageStartingWith("Invalid resource reference: key.id has");
            }
            long rows = db.count(column.table());
            assertThatThrownBy(() -> e.getValue().accept(valueOf(column.size() + 1)))
                    .as(column + " one character over").isInstanceOf(InvalidArgumentException.class).hasMessage(tooLong);
            assertThat(db.count(column.table())).as(column + ": nothing stored").isEqualTo(rows);
        }
    }

    /** A value at its column's size is stored whole: the limits are not stricter than the databases. */
    @OnEachDatabase
    void aValueAtItsSizeIsStoredWhole(TestDatabase db) {
        Map<StringColumn, Consumer<String>> writers = writers(db);
        for (StringColumn column : List.of(StringColumn.RUN_DISPLAY_NAME, StringColumn.RUN_NAMESPACE,
                StringColumn.EXPERIMENT_NAME, StringColumn.METRIC_NODE_ID, StringColumn.TASK_POD_NAME,
                StringColumn.JOB_DESCRIPTION)) {
            String v = valueOf(column.size());
            writers.get(column).accept(v);
            Object stored = db.queryValue("SELECT COUNT(*) FROM " + column.table() + " WHERE \"" + column.column() + "\" = ?", v);
            assertThat(((Number) stored).longValue()).as(column.toString()).isEqualTo(1L);
        }
    }
}
