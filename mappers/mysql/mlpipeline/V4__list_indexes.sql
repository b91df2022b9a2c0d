-- Indexes that serve the list queries: the scope columns (equality) first, then the sort key,
-- then the key (UUID) that breaks ties, so the first page of a list is read in index order and
-- the LIMIT stops early instead of sorting the whole table. Also the reverse direction of
-- resource_references, for deleting the references that point at an object.
-- Tables are utf8mb4_bin, so the index order is the byte order the queries sort by.
ALTER TABLE `experiments`
  ADD INDEX `idx_experiments_createdat` (`CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_experiments_namespace_createdat` (`Namespace`, `CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_experiments_namespace_namelower` (`Namespace`, `NameLower`, `UUID`);

ALTER TABLE `pipelines`
  ADD INDEX `idx_pipelines_status_createdat` (`Status`, `CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_pipelines_status_namespace_createdat` (`Status`, `Namespace`, `CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_pipelines_status_namespace_namelower` (`Status`, `Namespace`, `NameLower`, `UUID`);

ALTER TABLE `pipeline_versions`
  ADD INDEX `idx_pipeline_versions_pipelineid_status_createdat` (`PipelineId`, `Status`, `CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_pipeline_versions_pipelineid_status_namelower` (`PipelineId`, `Status`, `NameLower`, `UUID`);

ALTER TABLE `resource_references`
  ADD INDEX `idx_resource_references_reference` (`ReferenceUUID`, `ReferenceType`);
