-- KFP API server schema on H2 (the embedded default and fast test database), equivalent to the
-- PostgreSQL baseline: same tables, columns, keys, indexes and foreign keys. H2 spellings:
-- unbounded varchar where PostgreSQL has text; KFP's PostgreSQL-only LOWER("Name") expression
-- indexes are left out (H2 cannot index expressions; V3's NameLower columns serve those lookups).

CREATE TABLE db_statuses (
  "HaveSamplesLoaded" boolean NOT NULL,
  PRIMARY KEY ("HaveSamplesLoaded")
);

CREATE TABLE default_experiments (
  "DefaultExperimentId" varchar(191) NOT NULL,
  PRIMARY KEY ("DefaultExperimentId")
);

CREATE TABLE experiments (
  "UUID"                  varchar(191) NOT NULL,
  "Name"                  varchar(128) NOT NULL,
  "Description"           varchar      NOT NULL,
  "CreatedAtInSec"        bigint       NOT NULL,
  "LastRunCreatedAtInSec" bigint       NOT NULL,
  "Namespace"             varchar(63)  NOT NULL,
  "StorageState"          varchar      NOT NULL,
  PRIMARY KEY ("UUID")
);
CREATE UNIQUE INDEX idx_name_namespace ON experiments ("Name", "Namespace");

CREATE TABLE pipelines (
  "UUID"             varchar(64)  NOT NULL,
  "CreatedAtInSec"   bigint       NOT NULL,
  "Name"             varchar(128) NOT NULL,
  "DisplayName"      varchar      NOT NULL,
  "Description"      varchar      NOT NULL,
  "Parameters"       varchar,
  "Status"           varchar      NOT NULL,
  "DefaultVersionId" varchar,
  "Namespace"        varchar(63),
  PRIMARY KEY ("UUID")
);
CREATE UNIQUE INDEX namespace_name ON pipelines ("Name", "Namespace");

CREATE TABLE pipeline_versions (
  "UUID"            varchar(191) NOT NULL,
  "CreatedAtInSec"  bigint       NOT NULL,
  "Name"            varchar(127) NOT NULL,
  "DisplayName"     varchar      NOT NULL,
  "Parameters"      varchar      NOT NULL,
  "PipelineId"      varchar(64)  NOT NULL,
  "Status"          varchar      NOT NULL,
  "CodeSourceUrl"   varchar,
  "Description"     varchar,
  "PipelineSpec"    varchar      NOT NULL,
  "PipelineSpecURI" varchar      NOT NULL,
  PRIMARY KEY ("UUID"),
  CONSTRAINT "pipeline_versions_PipelineId_pipelines_UUID_foreign"
    FOREIGN KEY ("PipelineId") REFERENCES pipelines ("UUID") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "idx_pipeline_versions_CreatedAtInSec" ON pipeline_versions ("CreatedAtInSec");
CREATE UNIQUE INDEX idx_pipelineid_name ON pipeline_versions ("Name", "PipelineId");
CREATE INDEX "idx_pipeline_versions_PipelineId" ON pipeline_versions ("PipelineId");

CREATE TABLE pipeline_tags (
  "PipelineId" varchar(64) NOT NULL,
  "TagKey"     varchar(63) NOT NULL,
  "TagValue"   varchar(63) NOT NULL,
  PRIMARY KEY ("PipelineId", "TagKey"),
  CONSTRAINT "pipeline_tags_PipelineId_pipelines_UUID_foreign"
    FOREIGN KEY ("PipelineId") REFERENCES pipelines ("UUID") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX idx_pipeline_tags_key_value_id ON pipeline_tags ("TagKey", "TagValue", "PipelineId");

CREATE TABLE pipeline_version_tags (
  "PipelineVersionId" varchar(191) NOT NULL,
  "TagKey"            varchar(63)  NOT NULL,
  "TagValue"          varchar(63)  NOT NULL,
  PRIMARY KEY ("PipelineVersionId", "TagKey"),
  CONSTRAINT "pv_tags_PipelineVersionId_pv_UUID_fk"
    FOREIGN KEY ("PipelineVersionId") REFERENCES pipeline_versions ("UUID") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX idx_pv_tags_key_value_id ON pipeline_version_tags ("TagKey", "TagValue", "PipelineVersionId");

CREATE TABLE jobs (
  "UUID"                           varchar(191) NOT NULL,
  "DisplayName"                    varchar      NOT NULL,
  "Name"                           varchar      NOT NULL,
  "Namespace"                      varchar      NOT NULL,
  "ServiceAccount"                 varchar      NOT NULL,
  "Description"                    varchar      NOT NULL,
  "MaxConcurrency"                 bigint       NOT NULL,
  "NoCatchup"                      boolean      NOT NULL,
  "CreatedAtInSec"                 bigint       NOT NULL,
  "UpdatedAtInSec"                 bigint       DEFAULT 0,
  "Enabled"                        boolean      NOT NULL,
  "ExperimentUUID"                 varchar      NOT NULL,
  "CronScheduleStartTimeInSec"     bigint,
  "CronScheduleEndTimeInSec"       bigint,
  "Schedule"                       varchar,
  "PeriodicScheduleStartTimeInSec" bigint,
  "PeriodicScheduleEndTimeInSec"   bigint,
  "IntervalSecond"                 bigint,
  "PipelineId"                     varchar      NOT NULL,
  "PipelineVersionId"              varchar      DEFAULT NULL,
  "PipelineName"                   varchar      NOT NULL,
  "PipelineSpecManifest"           varchar,
  "WorkflowSpecManifest"           varchar,
  "Parameters"                     varchar,
  "RuntimeParameters"              varchar,
  "PipelineRoot"                   varchar,
  "Conditions"                     varchar      NOT NULL,
  "PluginsInput"                   varchar      DEFAULT NULL,
  PRIMARY KEY ("UUID")
);

CREATE TABLE run_details (
  "UUID"                    varchar(191) NOT NULL,
  "DisplayName"             varchar      NOT NULL,
  "Name"                    varchar      NOT NULL,
  "Description"             varchar      NOT NULL,
  "Namespace"               varchar(63)  NOT NULL,
  "ExperimentUUID"          varchar(64)  NOT NULL,
  "JobUUID"                 varchar      DEFAULT NULL,
  "StorageState"            varchar      NOT NULL,
  "ServiceAccount"          varchar      NOT NULL,
  "PipelineId"              varchar      NOT NULL,
  "PipelineVersionId"       varchar      DEFAULT NULL,
  "PipelineName"            varchar      NOT NULL,
  "PipelineSpecManifest"    varchar,
  "WorkflowSpecManifest"    varchar,
  "Parameters"              varchar,
  "RuntimeParameters"       varchar,
  "PipelineRoot"            varchar,
  "CreatedAtInSec"          bigint       NOT NULL,
  "ScheduledAtInSec"        bigint       DEFAULT 0,
  "FinishedAtInSec"         bigint       DEFAULT 0,
  "Conditions"              varchar(125) NOT NULL,
  "State"                   varchar      DEFAULT NULL,
  "StateHistory"            varchar      DEFAULT NULL,
  "PluginsInput"            varchar      DEFAULT NULL,
  "PluginsOutput"           varchar      DEFAULT NULL,
  "PipelineRuntimeManifest" varchar      NOT NULL,
  "WorkflowRuntimeManifest" varchar      NOT NULL,
  "PipelineContextId"       bigint       DEFAULT 0,
  "PipelineRunContextId"    bigint       DEFAULT 0,
  PRIMARY KEY ("UUID")
);
CREATE INDEX namespace_createatinsec ON run_details ("Namespace", "CreatedAtInSec");
CREATE INDEX namespace_conditions_finishedatinsec ON run_details ("Namespace", "Conditions", "FinishedAtInSec");
CREATE INDEX experimentuuid_createatinsec ON run_details ("ExperimentUUID", "CreatedAtInSec");
CREATE INDEX experimentuuid_conditions_finishedatinsec ON run_details ("ExperimentUUID", "Conditions", "FinishedAtInSec");

CREATE TABLE run_metrics (
  "RunUUID"     varchar(191)     NOT NULL,
  "NodeID"      varchar(191)     NOT NULL,
  "Name"        varchar(191)     NOT NULL,
  "NumberValue" double precision,
  "Format"      varchar,
  "Payload"     varchar          NOT NULL,
  PRIMARY KEY ("RunUUID", "NodeID", "Name"),
  CONSTRAINT "run_metrics_RunUUID_run_details_UUID_foreign"
    FOREIGN KEY ("RunUUID") REFERENCES run_details ("UUID") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE tasks (
  "UUID"              varchar(191) NOT NULL,
  "Namespace"         varchar      NOT NULL,
  "PipelineName"      varchar      NOT NULL,
  "RunUUID"           varchar(191) NOT NULL,
  "PodName"           varchar      NOT NULL,
  "MLMDExecutionID"   varchar      NOT NULL,
  "CreatedTimestamp"  bigint       NOT NULL,
  "StartedTimestamp"  bigint       DEFAULT 0,
  "FinishedTimestamp" bigint       DEFAULT 0,
  "Fingerprint"       varchar      NOT NULL,
  "Name"              varchar      DEFAULT NULL,
  "ParentTaskUUID"    varchar      DEFAULT NULL,
  "State"             varchar      DEFAULT NULL,
  "StateHistory"      varchar      DEFAULT NULL,
  "MLMDInputs"        varchar      DEFAULT NULL,
  "MLMDOutputs"       varchar      DEFAULT NULL,
  "ChildrenPods"      varchar      DEFAULT NULL,
  "Payload"           varchar      DEFAULT NULL,
  PRIMARY KEY ("UUID"),
  CONSTRAINT "tasks_RunUUID_run_details_UUID_foreign"
    FOREIGN KEY ("RunUUID") REFERENCES run_details ("UUID") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "tasks_RunUUID_run_details_UUID_foreign" ON tasks ("RunUUID");

CREATE TABLE resource_references (
  "ResourceUUID"  varchar(191) NOT NULL,
  "ResourceType"  varchar      NOT NULL,
  "ReferenceUUID" varchar(191) NOT NULL,
  "ReferenceName" varchar      NOT NULL,
  "ReferenceType" varchar      NOT NULL,
  "Relationship"  varchar      NOT NULL,
  "Payload"       varchar      NOT NULL,
  PRIMARY KEY ("ResourceUUID", "ResourceType", "ReferenceType")
);
CREATE INDEX referencefilter ON resource_references ("ResourceType", "ReferenceUUID", "ReferenceType");
