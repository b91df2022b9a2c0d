-- v2 lists of pipelines and versions sort by display name, ignoring case. A generated lower-case
-- copy (as `NameLower` in V3) lets an index serve that order: scope columns first, then the
-- sort key, then the id that breaks ties. VIRTUAL: indexed, not stored twice in the rows.
ALTER TABLE `pipelines`
  ADD COLUMN `DisplayNameLower` varchar(255) GENERATED ALWAYS AS (LOWER(`DisplayName`)) VIRTUAL,
  ADD INDEX `idx_pipelines_status_namespace_displaynamelower` (`Status`, `Namespace`, `DisplayNameLower`, `UUID`);

ALTER TABLE `pipeline_versions`
  ADD COLUMN `DisplayNameLower` varchar(255) GENERATED ALWAYS AS (LOWER(`DisplayName`)) VIRTUAL,
  ADD INDEX `idx_pipeline_versions_pipelineid_status_displaynamelower` (`PipelineId`, `Status`, `DisplayNameLower`, `UUID`);
