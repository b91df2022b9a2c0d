package kfp.store.mybatis;

import kfp.store.api.InvalidArgumentException;

/**
 * Every bounded string column the stores write, with its size and the API field a caller fills it
 * through. The size is the column's on MySQL, the strictest of the three databases: KFP's sized
 * columns have that size everywhere, and a string KFP leaves unsized is {@code varchar(255)} on
 * MySQL but unbounded text on PostgreSQL. Checking every value against these sizes before writing
 * ({@link #check}) makes a value too long the caller's mistake (InvalidArgument naming the field)
 * on every database, instead of "Data too long" on MySQL only.
 *
 * <p>Lengths count UTF-16 code units, as H2 counts its column sizes: a character outside the Basic
 * Multilingual Plane (most emoji) counts twice, so a value that fits here fits on all three.
 * {@code SchemaModelTest} checks each size against the migrated catalog of every database and that
 * no bounded column is missing; {@code ColumnLimitsTest} writes each through its store.
 */
public enum StringColumn {
    DEFAULT_EXPERIMENT_ID("default_experiments", "DefaultExperimentId", 191, "default experiment", "experiment_id"),

    EXPERIMENT_UUID("experiments", "UUID", 191, "experiment", "experiment_id"),
    EXPERIMENT_NAME("experiments", "Name", 128, "experiment", "display_name"),
    EXPERIMENT_DESCRIPTION("experiments", "Description", 255, "experiment", "description"),
    EXPERIMENT_NAMESPACE("experiments", "Namespace", 63, "experiment", "namespace"),
    EXPERIMENT_STORAGE_STATE("experiments", "StorageState", 255, "experiment", "storage_state"),

    PIPELINE_UUID("pipelines", "UUID", 64, "pipeline", "pipeline_id"),
    PIPELINE_NAME("pipelines", "Name", 128, "pipeline", "name"),
    PIPELINE_DISPLAY_NAME("pipelines", "DisplayName", 255, "pipeline", "display_name"),
    PIPELINE_STATUS("pipelines", "Status", 255, "pipeline", "status"),
    PIPELINE_DEFAULT_VERSION_ID("pipelines", "DefaultVersionId", 255, "pipeline", "default_version_id"),
    PIPELINE_NAMESPACE("pipelines", "Namespace", 63, "pipeline", "namespace"),

    VERSION_UUID("pipeline_versions", "UUID", 191, "pipeline version", "pipeline_version_id"),
    VERSION_NAME("pipeline_versions", "Name", 127, "pipeline version", "name"),
    VERSION_DISPLAY_NAME("pipeline_versions", "DisplayName", 255, "pipeline version", "display_name"),
    VERSION_PIPELINE_ID("pipeline_versions", "PipelineId", 64, "pipeline version", "pipeline_id"),
    VERSION_STATUS("pipeline_versions", "Status", 255, "pipeline version", "status"),
    VERSION_CODE_SOURCE_URL("pipeline_versions", "CodeSourceUrl", 255, "pipeline version", "code_source_url"),

    PIPELINE_TAG_OWNER("pipeline_tags", "PipelineId", 64, "pipeline", "pipeline_id"),
    PIPELINE_TAG_KEY("pipeline_tags", "TagKey", 63, "pipeline", "tag key"),
    PIPELINE_TAG_VALUE("pipeline_tags", "TagValue", 63, "pipeline", "tag value"),
    VERSION_TAG_OWNER("pipeline_version_tags", "PipelineVersionId", 191, "pipeline version", "pipeline_version_id"),
    VERSION_TAG_KEY("pipeline_version_tags", "TagKey", 63, "pipeline version", "tag key"),
    VERSION_TAG_VALUE("pipeline_version_tags", "TagValue", 63, "pipeline version", "tag value"),

    JOB_UUID("jobs", "UUID", 191, "recurring run", "recurring_run_id"),
    JOB_DISPLAY_NAME("jobs", "DisplayName", 255, "recurring run", "display_name"),
    JOB_NAME("jobs", "Name", 255, "recurring run", "name"),
    JOB_NAMESPACE("jobs", "Namespace", 255, "recurring run", "namespace"),
    JOB_SERVICE_ACCOUNT("jobs", "ServiceAccount", 255, "recurring run", "service_account"),
    JOB_DESCRIPTION("jobs", "Description", 255, "recurring run", "description"),
    JOB_EXPERIMENT_ID("jobs", "ExperimentUUID", 255, "recurring run", "experiment_id"),
    JOB_SCHEDULE("jobs", "Schedule", 255, "recurring run", "cron schedule"),
    JOB_PIPELINE_ID("jobs", "PipelineId", 255, "recurring run", "pipeline_id"),
    JOB_PIPELINE_VERSION_ID("jobs", "PipelineVersionId", 255, "recurring run", "pipeline_version_id"),
    JOB_PIPELINE_NAME("jobs", "PipelineName", 255, "recurring run", "pipeline_name"),
    JOB_CONDITIONS("jobs", "Conditions", 255, "recurring run", "status"),

    RUN_UUID("run_details", "UUID", 191, "run", "run_id"),
    RUN_DISPLAY_NAME("run_details", "DisplayName", 255, "run", "display_name"),
    RUN_NAME("run_details", "Name", 255, "run", "name"),
    RUN_DESCRIPTION("run_details", "Description", 255, "run", "description"),
    RUN_NAMESPACE("run_details", "Namespace", 63, "run", "namespace"),
    RUN_EXPERIMENT_ID("run_details", "ExperimentUUID", 64, "run", "experiment_id"),
    RUN_RECURRING_RUN_ID("run_details", "JobUUID", 255, "run", "recurring_run_id"),
    RUN_STORAGE_STATE("run_details", "StorageState", 255, "run", "storage_state"),
    RUN_SERVICE_ACCOUNT("run_details", "ServiceAccount", 255, "run", "service_account"),
    RUN_PIPELINE_ID("run_details", "PipelineId", 255, "run", "pipeline_id"),
    RUN_PIPELINE_VERSION_ID("run_details", "PipelineVersionId", 255, "run", "pipeline_version_id"),
    RUN_PIPELINE_NAME("run_details", "PipelineName", 255, "run", "pipeline_name"),
    RUN_CONDITIONS("run_details", "Conditions", 125, "run", "status"),
    RUN_STATE("run_details", "State", 255, "run", "state"),

    METRIC_RUN_ID("run_metrics", "RunUUID", 191, "run metric", "run_id"),
    METRIC_NODE_ID("run_metrics", "NodeID", 191, "run metric", "node_id"),
    METRIC_NAME("run_metrics", "Name", 191, "run metric", "name"),
    METRIC_FORMAT("run_metrics", "Format", 255, "run metric", "format"),

    TASK_UUID("tasks", "UUID", 191, "task", "id"),
    TASK_NAMESPACE("tasks", "Namespace", 255, "task", "namespace"),
    TASK_PIPELINE_NAME("tasks", "PipelineName", 255, "task", "pipeline_name"),
    TASK_RUN_ID("tasks", "RunUUID", 191, "task", "run_id"),
    TASK_POD_NAME("tasks", "PodName", 255, "task", "pod_name"),
    TASK_EXECUTION_ID("tasks", "MLMDExecutionID", 255, "task", "execution_id"),
    TASK_FINGERPRINT("tasks", "Fingerprint", 255, "task", "fingerprint"),
    TASK_NAME("tasks", "Name", 255, "task", "display_name"),
    TASK_PARENT_TASK_ID("tasks", "ParentTaskUUID", 255, "task", "parent_task_id"),
    TASK_STATE("tasks", "State", 255, "task", "state"),

    REFERENCE_RESOURCE_ID("resource_references", "ResourceUUID", 191, "resource reference", "resource id"),
    REFERENCE_RESOURCE_TYPE("resource_references", "ResourceType", 255, "resource reference", "resource type"),
    REFERENCE_ID("resource_references", "ReferenceUUID", 191, "resource reference", "key.id"),
    REFERENCE_NAME("resource_references", "ReferenceName", 255, "resource reference", "name"),
    REFERENCE_TYPE("resource_references", "ReferenceType", 255, "resource reference", "key.type"),
    REFERENCE_RELATIONSHIP("resource_references", "Relationship", 255, "resource reference", "relationship"),

    EXECUTION_CACHE_KEY("execution_caches", "ExecutionCacheKey", 191, "execution cache", "key");

    private final String table;
    private final String column;
    private final int size;
    private final String resource;
    private final String field;

    StringColumn(String table, String column, int size, String resource, String field) {
        this.table = table;
        this.column = column;
        this.size = size;
        this.resource = resource;
        this.field = field;
    }

    public String table() {
        return table;
    }

    public String column() {
        return column;
    }

    /** The most characters (UTF-16 code units) a value may have. */
    public int size() {
        return size;
    }

    /** What the row is, as an error message names it. */
    public String resource() {
        return resource;
    }

    /** The API field a caller sets this column through. */
    public String field() {
        return field;
    }

    /** Refuses a value longer than the column holds (null and empty pass). */
    public void check(String value) {
        if (value != null && value.length() > size) {
            throw new InvalidArgumentException("Invalid " + resource + ": " + field + " has " + value.length()
                    + " characters; at most " + size + " are allowed");
        }
    }
}
