-- The lower-case copies of V3 and V5 become STORED. MariaDB 10.11 reads a VIRTUAL column as ''
-- when a plan fetches rows by primary key after reading the index (index_merge: a keyset page's
-- "NameLower" >= ? AND ("NameLower" > ? OR "UUID" > ?)), and then drops the row from the page when
-- its index entry must be checked against the row: an id deleted and inserted again, or a renamed
-- row, while any other transaction is open. A stored column is read like any other.
-- Neither server can change VIRTUAL to STORED in place: each column is dropped and added again
-- (with its indexes, same names) in one statement per table, a table copy.
ALTER TABLE `experiments`
  DROP INDEX `uk_experiments_namelower_namespace`,
  DROP INDEX `idx_experiments_namespace_namelower`,
  DROP COLUMN `NameLower`,
  ADD COLUMN `NameLower` varchar(128) GENERATED ALWAYS AS (LOWER(`Name`)) STORED,
  ADD UNIQUE INDEX `uk_experiments_namelower_namespace` (`NameLower`, `Namespace`),
  ADD INDEX `idx_experiments_namespace_namelower` (`Namespace`, `NameLower`, `UUID`);

ALTER TABLE `pipelines`
  DROP INDEX `uk_pipelines_namelower_namespace`,
  DROP INDEX `idx_pipelines_status_namespace_namelower`,
  DROP INDEX `idx_pipelines_status_namespace_displaynamelower`,
  DROP COLUMN `NameLower`,
  DROP COLUMN `DisplayNameLower`,
  ADD COLUMN `NameLower` varchar(128) GENERATED ALWAYS AS (LOWER(`Name`)) STORED,
  ADD COLUMN `DisplayNameLower` varchar(255) GENERATED ALWAYS AS (LOWER(`DisplayName`)) STORED,
  ADD UNIQUE INDEX `uk_pipelines_namelower_namespace` (`NameLower`, `Namespace`),
  ADD INDEX `idx_pipelines_status_namespace_namelower` (`Status`, `Namespace`, `NameLower`, `UUID`),
  ADD INDEX `idx_pipelines_status_namespace_displaynamelower` (`Status`, `Namespace`, `DisplayNameLower`, `UUID`);

ALTER TABLE `pipeline_versions`
  DROP INDEX `uk_pipeline_versions_namelower_pipelineid`,
  DROP INDEX `idx_pipeline_versions_pipelineid_status_namelower`,
  DROP INDEX `idx_pipeline_versions_pipelineid_status_displaynamelower`,
  DROP COLUMN `NameLower`,
  DROP COLUMN `DisplayNameLower`,
  ADD COLUMN `NameLower` varchar(127) GENERATED ALWAYS AS (LOWER(`Name`)) STORED,
  ADD COLUMN `DisplayNameLower` varchar(255) GENERATED ALWAYS AS (LOWER(`DisplayName`)) STORED,
  ADD UNIQUE INDEX `uk_pipeline_versions_namelower_pipelineid` (`NameLower`, `PipelineId`),
  ADD INDEX `idx_pipeline_versions_pipelineid_status_namelower` (`PipelineId`, `Status`, `NameLower`, `UUID`),
  ADD INDEX `idx_pipeline_versions_pipelineid_status_displaynamelower` (`PipelineId`, `Status`, `DisplayNameLower`, `UUID`);
