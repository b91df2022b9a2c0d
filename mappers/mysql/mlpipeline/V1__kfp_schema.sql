-- KFP API server schema as KFP's Go server creates it on MySQL (tables, columns, indexes and
-- foreign keys keep KFP's names so either server can use the other's database).
-- Differences from KFP, all deliberate:
--   * every table is utf8mb4 with utf8mb4_bin: byte-wise equality and ordering, as on PostgreSQL
--     and H2, so a query answers the same on all three databases; case-insensitive matching of
--     names is done explicitly (see V3).
--   * no bootstrap rows here: the stores insert them idempotently at start-up.

CREATE TABLE `db_statuses` (
  `HaveSamplesLoaded` boolean NOT NULL,
  PRIMARY KEY (`HaveSamplesLoaded`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `default_experiments` (
  `DefaultExperimentId` varchar(191) NOT NULL,
  PRIMARY KEY (`DefaultExperimentId`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `experiments` (
  `UUID`                  varchar(191) NOT NULL,
  `Name`                  varchar(128) NOT NULL,
  `Description`           varchar(255) NOT NULL,
  `CreatedAtInSec`        bigint       NOT NULL,
  `LastRunCreatedAtInSec` bigint       NOT NULL,
  `Namespace`             varchar(63)  NOT NULL,
  `StorageState`          varchar(255) NOT NULL,
  PRIMARY KEY (`UUID`),
  UNIQUE INDEX `idx_name_namespace` (`Name`, `Namespace`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `pipelines` (
  `UUID`             varchar(64)  NOT NULL,
  `CreatedAtInSec`   bigint       NOT NULL,
  `Name`             varchar(128) NOT NULL,
  `DisplayName`      varchar(255) NOT NULL,
  `Description`      longtext     NOT NULL,
  `Parameters`       longtext,
  `Status`           varchar(255) NOT NULL,
  `DefaultVersionId` varchar(255),
  `Namespace`        varchar(63),
  PRIMARY KEY (`UUID`),
  UNIQUE INDEX `namespace_name` (`Name`, `Namespace`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `pipeline_versions` (
  `UUID`            varchar(191) NOT NULL,
  `CreatedAtInSec`  bigint       NOT NULL,
  `Name`            varchar(127) NOT NULL,
  `DisplayName`     varchar(255) NOT NULL,
  `Parameters`      longtext     NOT NULL,
  `PipelineId`      varchar(64)  NOT NULL,
  `Status`          varchar(255) NOT NULL,
  `CodeSourceUrl`   varchar(255),
  `Description`     longtext,
  `PipelineSpec`    longtext     NOT NULL,
  `PipelineSpecURI` longtext     NOT NULL,
  PRIMARY KEY (`UUID`),
  INDEX `idx_pipeline_versions_CreatedAtInSec` (`CreatedAtInSec`),
  UNIQUE INDEX `idx_pipelineid_name` (`Name`, `PipelineId`),
  INDEX `idx_pipeline_versions_PipelineId` (`PipelineId`),
  CONSTRAINT `pipeline_versions_PipelineId_pipelines_UUID_foreign`
    FOREIGN KEY (`PipelineId`) REFERENCES `pipelines` (`UUID`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `pipeline_tags` (
  `PipelineId` varchar(64) NOT NULL,
  `TagKey`     varchar(63) NOT NULL,
  `TagValue`   varchar(63) NOT NULL,
  PRIMARY KEY (`PipelineId`, `TagKey`),
  INDEX `idx_pipeline_tags_key_value_id` (`TagKey`, `TagValue`, `PipelineId`),
  CONSTRAINT `pipeline_tags_PipelineId_pipelines_UUID_foreign`
    FOREIGN KEY (`PipelineId`) REFERENCES `pipelines` (`UUID`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `pipeline_version_tags` (
  `PipelineVersionId` varchar(191) NOT NULL,
  `TagKey`            varchar(63)  NOT NULL,
  `TagValue`          varchar(63)  NOT NULL,
  PRIMARY KEY (`PipelineVersionId`, `TagKey`),
  INDEX `idx_pv_tags_key_value_id` (`TagKey`, `TagValue`, `PipelineVersionId`),
  CONSTRAINT `pv_tags_PipelineVersionId_pv_UUID_fk`
    FOREIGN KEY (`PipelineVersionId`) REFERENCES `pipeline_versions` (`UUID`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `jobs` (
  `UUID`                           varchar(191) NOT NULL,
  `DisplayName`                    varchar(255) NOT NULL,
  `Name`                           varchar(255) NOT NULL,
  `Namespace`                      varchar(255) NOT NULL,
  `ServiceAccount`                 varchar(255) NOT NULL,
  `Description`                    varchar(255) NOT NULL,
  `MaxConcurrency`                 bigint       NOT NULL,
  `NoCatchup`                      boolean      NOT NULL,
  `CreatedAtInSec`                 bigint       NOT NULL,
  `UpdatedAtInSec`                 bigint       DEFAULT 0,
  `Enabled`                        boolean      NOT NULL,
  `ExperimentUUID`                 varchar(255) NOT NULL,
  `CronScheduleStartTimeInSec`     bigint,
  `CronScheduleEndTimeInSec`       bigint,
  `Schedule`                       varchar(255),
  `PeriodicScheduleStartTimeInSec` bigint,
  `PeriodicScheduleEndTimeInSec`   bigint,
  `IntervalSecond`                 bigint,
  `PipelineId`                     varchar(255) NOT NULL,
  `PipelineVersionId`              varchar(255) DEFAULT NULL,
  `PipelineName`                   varchar(255) NOT NULL,
  `PipelineSpecManifest`           longtext,
  `WorkflowSpecManifest`           longtext,
  `Parameters`                     longtext,
  `RuntimeParameters`              longtext,
  `PipelineRoot`                   longtext,
  `Conditions`                     varchar(255) NOT NULL,
  `PluginsInput`                   longtext     DEFAULT NULL,
  PRIMARY KEY (`UUID`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `run_details` (
  `UUID`                    varchar(191) NOT NULL,
  `DisplayName`             varchar(255) NOT NULL,
  `Name`                    varchar(255) NOT NULL,
  `Description`             varchar(255) NOT NULL,
  `Namespace`               varchar(63)  NOT NULL,
  `ExperimentUUID`          varchar(64)  NOT NULL,
  `JobUUID`                 varchar(255) DEFAULT NULL,
  `StorageState`            varchar(255) NOT NULL,
  `ServiceAccount`          varchar(255) NOT NULL,
  `PipelineId`              varchar(255) NOT NULL,
  `PipelineVersionId`       varchar(255) DEFAULT NULL,
  `PipelineName`            varchar(255) NOT NULL,
  `PipelineSpecManifest`    longtext,
  `WorkflowSpecManifest`    longtext,
  `Parameters`              longtext,
  `RuntimeParameters`       longtext,
  `PipelineRoot`            longtext,
  `CreatedAtInSec`          bigint       NOT NULL,
  `ScheduledAtInSec`        bigint       DEFAULT 0,
  `FinishedAtInSec`         bigint       DEFAULT 0,
  `Conditions`              varchar(125) NOT NULL,
  `State`                   varchar(255) DEFAULT NULL,
  `StateHistory`            longtext     DEFAULT NULL,
  `PluginsInput`            longtext     DEFAULT NULL,
  `PluginsOutput`           longtext     DEFAULT NULL,
  `PipelineRuntimeManifest` longtext     NOT NULL,
  `WorkflowRuntimeManifest` longtext     NOT NULL,
  `PipelineContextId`       bigint       DEFAULT 0,
  `PipelineRunContextId`    bigint       DEFAULT 0,
  PRIMARY KEY (`UUID`),
  INDEX `namespace_createatinsec` (`Namespace`, `CreatedAtInSec`),
  INDEX `namespace_conditions_finishedatinsec` (`Namespace`, `Conditions`, `FinishedAtInSec`),
  INDEX `experimentuuid_createatinsec` (`ExperimentUUID`, `CreatedAtInSec`),
  INDEX `experimentuuid_conditions_finishedatinsec` (`ExperimentUUID`, `Conditions`, `FinishedAtInSec`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `run_metrics` (
  `RunUUID`     varchar(191) NOT NULL,
  `NodeID`      varchar(191) NOT NULL,
  `Name`        varchar(191) NOT NULL,
  `NumberValue` double,
  `Format`      varchar(255),
  `Payload`     longtext     NOT NULL,
  PRIMARY KEY (`RunUUID`, `NodeID`, `Name`),
  CONSTRAINT `run_metrics_RunUUID_run_details_UUID_foreign`
    FOREIGN KEY (`RunUUID`) REFERENCES `run_details` (`UUID`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `tasks` (
  `UUID`              varchar(191) NOT NULL,
  `Namespace`         varchar(255) NOT NULL,
  `PipelineName`      varchar(255) NOT NULL,
  `RunUUID`           varchar(191) NOT NULL,
  `PodName`           varchar(255) NOT NULL,
  `MLMDExecutionID`   varchar(255) NOT NULL,
  `CreatedTimestamp`  bigint       NOT NULL,
  `StartedTimestamp`  bigint       DEFAULT 0,
  `FinishedTimestamp` bigint       DEFAULT 0,
  `Fingerprint`       varchar(255) NOT NULL,
  `Name`              varchar(255) DEFAULT NULL,
  `ParentTaskUUID`    varchar(255) DEFAULT NULL,
  `State`             varchar(255) DEFAULT NULL,
  `StateHistory`      longtext     DEFAULT NULL,
  `MLMDInputs`        longtext     DEFAULT NULL,
  `MLMDOutputs`       longtext     DEFAULT NULL,
  `ChildrenPods`      longtext     DEFAULT NULL,
  `Payload`           longtext     DEFAULT NULL,
  PRIMARY KEY (`UUID`),
  INDEX `tasks_RunUUID_run_details_UUID_foreign` (`RunUUID`),
  CONSTRAINT `tasks_RunUUID_run_details_UUID_foreign`
    FOREIGN KEY (`RunUUID`) REFERENCES `run_details` (`UUID`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE `resource_references` (
  `ResourceUUID`  varchar(191) NOT NULL,
  `ResourceType`  varchar(255) NOT NULL,
  `ReferenceUUID` varchar(191) NOT NULL,
  `ReferenceName` varchar(255) NOT NULL,
  `ReferenceType` varchar(255) NOT NULL,
  `Relationship`  varchar(255) NOT NULL,
  `Payload`       longtext     NOT NULL,
  PRIMARY KEY (`ResourceUUID`, `ResourceType`, `ReferenceType`),
  INDEX `referencefilter` (`ResourceType`, `ReferenceUUID`, `ReferenceType`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
