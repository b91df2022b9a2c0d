-- Names are unique and looked up case-insensitively on every database (KFP only does so on MySQL,
-- through its case-insensitive collation). A stored lower-case copy carries the unique index; the
-- same column exists on MySQL and H2 so one query spelling serves all three.
-- STORED: PostgreSQL has no virtual generated columns before version 18.
ALTER TABLE experiments
  ADD COLUMN "NameLower" varchar(128) GENERATED ALWAYS AS (LOWER("Name")) STORED;
CREATE UNIQUE INDEX uk_experiments_namelower_namespace ON experiments ("NameLower", "Namespace");

ALTER TABLE pipelines
  ADD COLUMN "NameLower" varchar(128) GENERATED ALWAYS AS (LOWER("Name")) STORED;
CREATE UNIQUE INDEX uk_pipelines_namelower_namespace ON pipelines ("NameLower", "Namespace");

ALTER TABLE pipeline_versions
  ADD COLUMN "NameLower" varchar(127) GENERATED ALWAYS AS (LOWER("Name")) STORED;
CREATE UNIQUE INDEX uk_pipeline_versions_namelower_pipelineid ON pipeline_versions ("NameLower", "PipelineId");
