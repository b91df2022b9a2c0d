-- KFP API server schema as KFP's Go server creates it on PostgreSQL (tables, columns, indexes and
-- foreign keys keep KFP's names so either server can use the other's database).
-- Differences from KFP, all deliberate:
--   * run_metrics.NumberValue is double precision (KFP: numeric), the same type as on MySQL, so a
--     metric reads back identically everywhere; an adopted KFP database keeps numeric and works.
--   * no bootstrap rows here: the stores insert them idempotently at start-up.

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
  "Description"           text         NOT NULL,
  "CreatedAtInSec"        bigint       NOT NULL,
  "LastRunCreatedAtInSec" bigint       NOT NULL,
  "Namespace"             varchar(63)  NOT NULL,
  "StorageState"          text         NOT NULL,
  PRIMARY KEY ("UUID")
);
CREATE UNIQUE INDEX idx_name_namespace ON experiments ("Name", "Namespace");
CREATE INDEX idx_experiments_lower_name ON experiments (LOWER("Name"));

CREATE TABLE pipelines (
  "UUID"             varchar(64)  NOT NULL,
  "CreatedAtInSec"   bigint       NOT NULL,
  "Name"             varchar(128) NOT NULL,
  "DisplayName"      text         NOT NULL,
  "Description"      text         NOT NULL,
  "Parameters"       text,
  "Status"           text         NOT NULL,
  "DefaultVersionId" text,
  "Namespace"        varchar(63),
  PRIMARY KEY ("UUID")
);
CREATE UNIQUE INDEX namespace_name ON pipelines ("Name", "Namespace");
CREATE INDEX idx_pipelines_lower_name ON pipelines (LOWER("Name"));

CREATE TABLE pipeline_versions (
  "UUID"            varchar(191) NOT NULL,
  "CreatedAtInSec"  bigint       NOT NULL,
  "Name"            varchar(127) NOT NULL,
  "DisplayName"     text         NOT NULL,
  "Parameters"      text         NOT NULL,
  "PipelineId"      varchar(64)  NOT NULL,
  "Status"          text         NOT NULL,
  "CodeSourceUrl"   text,
  "Description"     text,
  "PipelineSpec"    text         NOT NULL,
  "PipelineSpecURI" text         NOT NULL,
  PRIMARY KEY ("UUID"),
  CONSTRAINT "pipeline_versions_PipelineId_pipelines_UUID_foreign"
    FOREIGN KEY ("PipelineId") REFERENCES pipelines ("UUID") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "idx_pipeline_versions_CreatedAtInSec" ON pipeline_versions ("CreatedAtInSec");
CREATE UNIQUE INDEX idx_pipelineid_name ON pipeline_versions ("Name", "PipelineId");
CREATE INDEX "idx_pipeline_versions_PipelineId" ON pipeline_versions ("PipelineId");
CREATE INDEX idx_pipeline_versions_lower_name ON pipeline_versions (LOWER("Name"));

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
  "DisplayName"                    text         NOT NULL,
  "Name"                           text         NOT NULL,
  "Namespace"                      text         NOT NULL,
  "ServiceAccount"                 text         NOT NULL,
  "Description"                    text         NOT NULL,
  "MaxConcurrency"                 bigint       NOT NULL,
  "NoCatchup"                      boolean      NOT NULL,
  "CreatedAtInSec"                 bigint       NOT NULL,
  "UpdatedAtInSec"                 bigint       DEFAULT 0,
  "Enabled"                        boolean      NOT NULL,
  "ExperimentUUID"                 text         NOT NULL,
  "CronScheduleStartTimeInSec"     bigint,
  "CronScheduleEndTimeInSec"       bigint,
  "Schedule"                       text,
  "PeriodicScheduleStartTimeInSec" bigint,
  "PeriodicScheduleEndTimeInSec"   bigint,
  "IntervalSecond"                 bigint,
  "PipelineId"                     text         NOT NULL,
  "PipelineVersionId"              text         DEFAULT NULL,
  "PipelineName"                   text         NOT NULL,
  "PipelineSpecManifest"           text,
  "WorkflowSpecManifest"           text,
  "Parameters"                     text,
  "RuntimeParameters"              text,
  "PipelineRoot"                   text,
  "Conditions"                     text         NOT NULL,
  "PluginsInput"                   text         DEFAULT NULL,
  PRIMARY KEY ("UUID")
);

CREATE TABLE run_details (
  "UUID"                    varchar(191) NOT NULL,
  "DisplayName"             text         NOT NULL,
  "Name"                    text         NOT NULL,
  "Description"             text         NOT NULL,
  "Namespace"               varchar(63)  NOT NULL,
  "ExperimentUUID"          varchar(64)  NOT NULL,
  "JobUUID"                 text         DEFAULT NULL,
  "StorageState"            text         NOT NULL,
  "ServiceAccount"          text         NOT NULL,
  "PipelineId"              text         NOT NULL,
  "PipelineVersionId"       text         DEFAULT NULL,
  "PipelineName"            text         NOT NULL,
  "PipelineSpecManifest"    text,
  "WorkflowSpecManifest"    text,
  "Parameters"              text,
  "RuntimeParameters"       text,
  "PipelineRoot"            text,
  "CreatedAtInSec"          bigint       NOT NULL,
  "ScheduledAtInSec"        bigint       DEFAULT 0,
  "FinishedAtInSec"         bigint       DEFAULT 0,
  "Conditions"              varchar(125) NOT NULL,
  "State"                   text         DEFAULT NULL,
  "StateHistory"            text         DEFAULT NULL,
  "PluginsInput"            text         DEFAULT NULL,
  "PluginsOutput"           text         DEFAULT NULL,
  "PipelineRuntimeManifest" text         NOT NULL,
  "WorkflowRuntimeManifest" text         NOT NULL,
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
  "Format"      text,
  "Payload"     text             NOT NULL,
  PRIMARY KEY ("RunUUID", "NodeID", "Name"),
  CONSTRAINT "run_metrics_RunUUID_run_details_UUID_foreign"
    FOREIGN KEY ("RunUUID") REFERENCES run_details ("UUID") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE tasks (
  "UUID"              varchar(191) NOT NULL,
  "Namespace"         text         NOT NULL,
  "PipelineName"      text         NOT NULL,
  "RunUUID"           varchar(191) NOT NULL,
  "PodName"           text         NOT NULL,
  "MLMDExecutionID"   text         NOT NULL,
  "CreatedTimestamp"  bigint       NOT NULL,
  "StartedTimestamp"  bigint       DEFAULT 0,
  "FinishedTimestamp" bigint       DEFAULT 0,
  "Fingerprint"       text         NOT NULL,
  "Name"              text         DEFAULT NULL,
  "ParentTaskUUID"    text         DEFAULT NULL,
  "State"             text         DEFAULT NULL,
  "StateHistory"      text         DEFAULT NULL,
  "MLMDInputs"        text         DEFAULT NULL,
  "MLMDOutputs"       text         DEFAULT NULL,
  "ChildrenPods"      text         DEFAULT NULL,
  "Payload"           text         DEFAULT NULL,
  PRIMARY KEY ("UUID"),
  CONSTRAINT "tasks_RunUUID_run_details_UUID_foreign"
    FOREIGN KEY ("RunUUID") REFERENCES run_details ("UUID") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "tasks_RunUUID_run_details_UUID_foreign" ON tasks ("RunUUID");

CREATE TABLE resource_references (
  "ResourceUUID"  varchar(191) NOT NULL,
  "ResourceType"  text         NOT NULL,
  "ReferenceUUID" varchar(191) NOT NULL,
  "ReferenceName" text         NOT NULL,
  "ReferenceType" text         NOT NULL,
  "Relationship"  text         NOT NULL,
  "Payload"       text         NOT NULL,
  PRIMARY KEY ("ResourceUUID", "ResourceType", "ReferenceType")
);
CREATE INDEX referencefilter ON resource_references ("ResourceType", "ReferenceUUID", "ReferenceType");
