-- v2 lists of pipelines and versions sort by display name, ignoring case. A generated lower-case
-- copy (as "NameLower" in V3) lets an index serve that order: scope columns first, then the
-- sort key, then the id that breaks ties; sorted string columns COLLATE "C" (byte order, see V4).
-- STORED: PostgreSQL has no virtual generated columns before version 18.
ALTER TABLE pipelines
  ADD COLUMN "DisplayNameLower" text GENERATED ALWAYS AS (LOWER("DisplayName")) STORED;
CREATE INDEX idx_pipelines_status_namespace_displaynamelower
  ON pipelines ("Status", "Namespace", "DisplayNameLower" COLLATE "C", "UUID" COLLATE "C");

ALTER TABLE pipeline_versions
  ADD COLUMN "DisplayNameLower" text GENERATED ALWAYS AS (LOWER("DisplayName")) STORED;
CREATE INDEX idx_pipeline_versions_pipelineid_status_displaynamelower
  ON pipeline_versions ("PipelineId", "Status", "DisplayNameLower" COLLATE "C", "UUID" COLLATE "C");
