package kfp.store.mybatis.dynamic;

import org.mybatis.dynamic.sql.SqlColumn;
import org.mybatis.dynamic.sql.SqlTable;

/**
 * KFP's tables and columns for MyBatis Dynamic SQL, used only where SQL is composed from a request
 * (list filters, sorts, scopes). Column names carry their double quotes: identifiers are written
 * the same way as in the XML catalogs, and MySQL sessions run with ANSI_QUOTES.
 */
public final class Tables {

    private Tables() {
    }

    static SqlColumn<String> text(SqlTable t, String name) {
        return t.column('"' + name + '"');
    }

    static SqlColumn<Long> integer(SqlTable t, String name) {
        return t.column('"' + name + '"');
    }

    public static final class Experiments extends SqlTable {
        public final SqlColumn<String> uuid = text(this, "UUID");
        public final SqlColumn<String> name = text(this, "Name");
        public final SqlColumn<String> nameLower = text(this, "NameLower");
        public final SqlColumn<String> description = text(this, "Description");
        public final SqlColumn<Long> createdAtInSec = integer(this, "CreatedAtInSec");
        public final SqlColumn<Long> lastRunCreatedAtInSec = integer(this, "LastRunCreatedAtInSec");
        public final SqlColumn<String> namespace = text(this, "Namespace");
        public final SqlColumn<String> storageState = text(this, "StorageState");

        Experiments() {
            super("experiments");
        }
    }

    /** The columns pipelines and pipeline versions share (same names, same roles). */
    public abstract static class PipelineColumns extends SqlTable {
        public final SqlColumn<String> uuid = text(this, "UUID");
        public final SqlColumn<Long> createdAtInSec = integer(this, "CreatedAtInSec");
        public final SqlColumn<String> name = text(this, "Name");
        public final SqlColumn<String> nameLower = text(this, "NameLower");
        public final SqlColumn<String> displayName = text(this, "DisplayName");
        public final SqlColumn<String> displayNameLower = text(this, "DisplayNameLower");
        public final SqlColumn<String> description = text(this, "Description");
        public final SqlColumn<String> status = text(this, "Status");

        PipelineColumns(String table) {
            super(table);
        }
    }

    public static final class Pipelines extends PipelineColumns {
        public final SqlColumn<String> namespace = text(this, "Namespace");

        Pipelines() {
            super("pipelines");
        }
    }

    public static final class PipelineVersions extends PipelineColumns {
        public final SqlColumn<String> pipelineId = text(this, "PipelineId");
        public final SqlColumn<String> pipelineSpec = text(this, "PipelineSpec");

        PipelineVersions() {
            super("pipeline_versions");
        }
    }

    /** {@code pipeline_tags} and {@code pipeline_version_tags}: (owner id, key, value). */
    public static final class Tags extends SqlTable {
        public final SqlColumn<String> ownerId;
        public final SqlColumn<String> tagKey = text(this, "TagKey");
        public final SqlColumn<String> tagValue = text(this, "TagValue");

        Tags(String table, String ownerColumn) {
            super(table);
            ownerId = text(this, ownerColumn);
        }
    }

    public static final class Runs extends SqlTable {
        public final SqlColumn<String> uuid = text(this, "UUID");
        public final SqlColumn<String> displayName = text(this, "DisplayName");
        public final SqlColumn<Long> createdAtInSec = integer(this, "CreatedAtInSec");
        public final SqlColumn<Long> finishedAtInSec = integer(this, "FinishedAtInSec");
        public final SqlColumn<String> description = text(this, "Description");
        public final SqlColumn<Long> scheduledAtInSec = integer(this, "ScheduledAtInSec");
        public final SqlColumn<String> storageState = text(this, "StorageState");
        public final SqlColumn<String> conditions = text(this, "Conditions");
        public final SqlColumn<String> namespace = text(this, "Namespace");
        public final SqlColumn<String> experimentUuid = text(this, "ExperimentUUID");
        public final SqlColumn<String> state = text(this, "State");
        public final SqlColumn<String> stateHistory = text(this, "StateHistory");
        public final SqlColumn<String> pipelineRuntimeManifest = text(this, "PipelineRuntimeManifest");
        public final SqlColumn<String> jobUuid = text(this, "JobUUID");

        Runs() {
            super("run_details");
        }
    }

    public static final class Jobs extends SqlTable {
        public final SqlColumn<String> uuid = text(this, "UUID");
        public final SqlColumn<String> displayName = text(this, "DisplayName");
        public final SqlColumn<Long> createdAtInSec = integer(this, "CreatedAtInSec");
        public final SqlColumn<Long> updatedAtInSec = integer(this, "UpdatedAtInSec");
        public final SqlColumn<String> description = text(this, "Description");
        public final SqlColumn<String> namespace = text(this, "Namespace");
        public final SqlColumn<String> experimentUuid = text(this, "ExperimentUUID");

        Jobs() {
            super("jobs");
        }
    }

    public static final class Tasks extends SqlTable {
        public final SqlColumn<String> uuid = text(this, "UUID");
        public final SqlColumn<String> namespace = text(this, "Namespace");
        public final SqlColumn<String> pipelineName = text(this, "PipelineName");
        public final SqlColumn<String> runUuid = text(this, "RunUUID");
        public final SqlColumn<String> name = text(this, "Name");
        public final SqlColumn<String> mlmdExecutionId = text(this, "MLMDExecutionID");
        public final SqlColumn<Long> createdTimestamp = integer(this, "CreatedTimestamp");
        public final SqlColumn<Long> startedTimestamp = integer(this, "StartedTimestamp");
        public final SqlColumn<Long> finishedTimestamp = integer(this, "FinishedTimestamp");
        public final SqlColumn<String> fingerprint = text(this, "Fingerprint");
        public final SqlColumn<String> state = text(this, "State");
        public final SqlColumn<String> stateHistory = text(this, "StateHistory");
        public final SqlColumn<String> parentTaskUuid = text(this, "ParentTaskUUID");

        Tasks() {
            super("tasks");
        }
    }

    public static final Experiments EXPERIMENTS = new Experiments();
    public static final Pipelines PIPELINES = new Pipelines();
    public static final PipelineVersions PIPELINE_VERSIONS = new PipelineVersions();
    public static final Tags PIPELINE_TAGS = new Tags("pipeline_tags", "PipelineId");
    public static final Tags PIPELINE_VERSION_TAGS = new Tags("pipeline_version_tags", "PipelineVersionId");
    public static final Runs RUNS = new Runs();
    public static final Jobs JOBS = new Jobs();
    public static final Tasks TASKS = new Tasks();
}
