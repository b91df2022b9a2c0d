-- Names are unique and looked up case-insensitively on every database. A generated lower-case
-- copy carries the unique index; the same column exists on MySQL and PostgreSQL.
ALTER TABLE experiments
  ADD COLUMN "NameLower" varchar(128) GENERATED ALWAYS AS (LOWER("Name"));
CREATE UNIQUE INDEX uk_experiments_namelower_namespace ON experiments ("NameLower", "Namespace");

ALTER TABLE pipelines
  ADD COLUMN "NameLower" varchar(128) GENERATED ALWAYS AS (LOWER("Name"));
CREATE UNIQUE INDEX uk_pipelines_namelower_namespace ON pipelines ("NameLower", "Namespace");

ALTER TABLE pipeline_versions
  ADD COLUMN "NameLower" varchar(127) GENERATED ALWAYS AS (LOWER("Name"));
CREATE UNIQUE INDEX uk_pipeline_versions_namelower_pipelineid ON pipeline_versions ("NameLower", "PipelineId");
