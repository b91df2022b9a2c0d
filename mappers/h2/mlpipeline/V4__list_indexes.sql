-- Indexes that serve the list queries: the scope columns (equality) first, then the sort key,
-- then the key (UUID) that breaks ties, so the first page of a list is read in index order and
-- the LIMIT stops early instead of sorting the whole table. Also the reverse direction of
-- resource_references, for deleting the references that point at an object.
CREATE INDEX idx_experiments_createdat ON experiments ("CreatedAtInSec", "UUID");
CREATE INDEX idx_experiments_namespace_createdat ON experiments ("Namespace", "CreatedAtInSec", "UUID");
CREATE INDEX idx_experiments_namespace_namelower ON experiments ("Namespace", "NameLower", "UUID");

CREATE INDEX idx_pipelines_status_createdat ON pipelines ("Status", "CreatedAtInSec", "UUID");
CREATE INDEX idx_pipelines_status_namespace_createdat ON pipelines ("Status", "Namespace", "CreatedAtInSec", "UUID");
CREATE INDEX idx_pipelines_status_namespace_namelower ON pipelines ("Status", "Namespace", "NameLower", "UUID");

CREATE INDEX idx_pipeline_versions_pipelineid_status_createdat ON pipeline_versions ("PipelineId", "Status", "CreatedAtInSec", "UUID");
CREATE INDEX idx_pipeline_versions_pipelineid_status_namelower ON pipeline_versions ("PipelineId", "Status", "NameLower", "UUID");

CREATE INDEX idx_resource_references_reference ON resource_references ("ReferenceUUID", "ReferenceType");
