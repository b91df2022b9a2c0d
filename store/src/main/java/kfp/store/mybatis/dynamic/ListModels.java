package kfp.store.mybatis.dynamic;

import static kfp.store.list.Field.integer;
import static kfp.store.list.Field.string;


/**
 * KFP's field maps (API field → column), one {@link ListModel} per listable resource.
 * Differences from KFP, all deliberate:
 * <ul>
 *   <li>every mapped field sorts correctly across pages (KFP fails on the ones it marks †);</li>
 *   <li>case-insensitive sorting and EQUALS/NOT_EQUALS/IN apply to the name-like fields only
 *       (name, display_name, description; tasks: display_name), on every page (KFP lower-cases
 *       every string sort from page 2 on: docs/kfp-compatibility.md#page-order);</li>
 *   <li>sort names match ignoring case, so the camelCase task aliases sort too (KFP lower-cases
 *       sort_by and so cannot find them).</li>
 * </ul>
 * Stores extend a model with {@link ListModel#toBuilder()} (tag filters of pipelines, the run
 * store's {@code metric:<name>} sort).
 */
public final class ListModels {

    private ListModels() {
    }

    private static final Tables.Experiments E = Tables.EXPERIMENTS;
    private static final Tables.Pipelines P = Tables.PIPELINES;
    private static final Tables.PipelineVersions V = Tables.PIPELINE_VERSIONS;
    private static final Tables.Runs R = Tables.RUNS;
    private static final Tables.Jobs J = Tables.JOBS;
    private static final Tables.Tasks T = Tables.TASKS;

    public static final ListModel EXPERIMENTS = ListModel.builder("experiments", E.uuid)
            .field(integer(E.createdAtInSec, "created_at"))
            .field(string(E.uuid, "id", "experiment_id"))
            .field(string(E.name, "name", "display_name").caseInsensitive(E.nameLower))
            .field(integer(E.lastRunCreatedAtInSec, "last_run_created_at"))
            .field(string(E.description, "description").caseInsensitive())
            .field(string(E.namespace, "namespace"))
            .field(string(E.storageState, "storage_state"))
            .defaultSort("created_at")
            .build();

    /** Pipelines (v1 and v2 lists); the pipeline store adds the {@code tags.<key>} filter. */
    public static final ListModel PIPELINES = ListModel.builder("pipelines", P.uuid)
            .field(integer(P.createdAtInSec, "created_at"))
            .field(string(P.uuid, "id", "pipeline_id"))
            .field(string(P.name, "name").caseInsensitive(P.nameLower))
            .field(string(P.displayName, "display_name").caseInsensitive(P.displayNameLower))
            .field(string(P.description, "description").caseInsensitive().longText())
            .field(string(P.namespace, "namespace").nullable())
            .defaultSort("created_at")
            .build();

    /** Versions of one pipeline; the pipeline store adds the {@code tags.<key>} filter. */
    public static final ListModel PIPELINE_VERSIONS = ListModel.builder("pipeline_versions", V.uuid)
            .field(integer(V.createdAtInSec, "created_at"))
            .field(string(V.uuid, "id", "pipeline_version_id"))
            .field(string(V.name, "name").caseInsensitive(V.nameLower))
            .field(string(V.displayName, "display_name").caseInsensitive(V.displayNameLower))
            .field(string(V.status, "status"))
            .field(string(V.description, "description").caseInsensitive().longText().nullable())
            .field(string(V.pipelineSpec, "pipeline_spec").longText())
            .defaultSort("created_at")
            .build();

    /** Runs; the run store adds {@code metric:<name>} with {@link ListModel#toBuilder()}. */
    public static final ListModel RUNS = ListModel.builder("runs", R.uuid)
            .field(integer(R.createdAtInSec, "created_at"))
            .field(string(R.uuid, "run_id", "id"))
            .field(string(R.displayName, "display_name", "name").caseInsensitive())
            .field(integer(R.finishedAtInSec, "finished_at").nullable())
            .field(string(R.description, "description").caseInsensitive())
            .field(integer(R.scheduledAtInSec, "scheduled_at").nullable())
            .field(string(R.storageState, "storage_state"))
            .field(string(R.conditions, "status"))
            .field(string(R.namespace, "namespace"))
            .field(string(R.experimentUuid, "experiment_id"))
            .field(string(R.state, "state").nullable())
            .field(string(R.stateHistory, "state_history").longText().nullable())
            .field(string(R.pipelineRuntimeManifest, "runtime_details").longText())
            .field(string(R.jobUuid, "recurring_run_id").nullable())
            .defaultSort("created_at")
            .build();

    public static final ListModel JOBS = ListModel.builder("jobs", J.uuid)
            .field(integer(J.createdAtInSec, "created_at"))
            .field(string(J.uuid, "id", "recurring_run_id"))
            .field(string(J.displayName, "name", "display_name").caseInsensitive())
            .field(integer(J.updatedAtInSec, "updated_at").nullable())
            .field(string(J.description, "description").caseInsensitive())
            .defaultSort("created_at")
            .build();

    public static final ListModel TASKS = ListModel.builder("tasks", T.uuid)
            .field(integer(T.createdTimestamp, "create_time", "created_at"))
            .field(string(T.uuid, "task_id", "id"))
            .field(string(T.namespace, "namespace"))
            .field(string(T.pipelineName, "pipeline_name", "pipelineName"))
            .field(string(T.runUuid, "run_id", "runId"))
            .field(string(T.name, "display_name").caseInsensitive().nullable())
            .field(string(T.mlmdExecutionId, "execution_id", "mlmdExecutionID"))
            .field(integer(T.startedTimestamp, "start_time").nullable())
            .field(integer(T.finishedTimestamp, "end_time", "finished_at").nullable())
            .field(string(T.fingerprint, "fingerprint"))
            .field(string(T.state, "state").nullable())
            .field(string(T.stateHistory, "state_history").longText().nullable())
            .field(string(T.parentTaskUuid, "parent_task_id").nullable())
            .defaultSort("create_time")
            .build();
}
