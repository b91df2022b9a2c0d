-- Indexes that serve the list queries: the scope columns (equality) first, then the sort key,
-- then the key (UUID) that breaks ties, so the first page of a list is read in index order and
-- the LIMIT stops early instead of sorting the whole table. Also the reverse direction of
-- resource_references, for deleting the references that point at an object.
-- Sorted string columns are COLLATE "C": the list queries sort strings in byte order (as MySQL's
-- utf8mb4_bin and H2 do) whatever the database's locale, and an index serves an ORDER BY only
-- in its own collation. Equality columns keep the default collation their predicates use.
CREATE INDEX idx_experiments_createdat ON experiments ("CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_experiments_namespace_createdat ON experiments ("Namespace", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_experiments_namespace_namelower ON experiments ("Namespace", "NameLower" COLLATE "C", "UUID" COLLATE "C");

CREATE INDEX idx_pipelines_status_createdat ON pipelines ("Status", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_pipelines_status_namespace_createdat ON pipelines ("Status", "Namespace", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_pipelines_status_namespace_namelower ON pipelines ("Status", "Namespace", "NameLower" COLLATE "C", "UUID" COLLATE "C");

CREATE INDEX idx_pipeline_versions_pipelineid_status_createdat ON pipeline_versions ("PipelineId", "Status", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_pipeline_versions_pipelineid_status_namelower ON pipeline_versions ("PipelineId", "Status", "NameLower" COLLATE "C", "UUID" COLLATE "C");

CREATE INDEX idx_resource_references_reference ON resource_references ("ReferenceUUID", "ReferenceType");
