-- Indexes that serve ListRuns, ListJobs and ListTasks: the filter context's column (equality)
-- first, then the default sort, then the UUID that breaks ties, so a page is read in index order
-- and the LIMIT stops early instead of sorting every matching row. The UUID is COLLATE "C": the
-- lists order it byte-wise whatever the database's locale (see V4).
CREATE INDEX idx_run_details_createdat ON run_details ("CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_run_details_namespace_createdat ON run_details ("Namespace", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_run_details_experimentuuid_createdat ON run_details ("ExperimentUUID", "CreatedAtInSec", "UUID" COLLATE "C");

CREATE INDEX idx_jobs_createdat ON jobs ("CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_jobs_namespace_createdat ON jobs ("Namespace", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_jobs_experimentuuid_createdat ON jobs ("ExperimentUUID", "CreatedAtInSec", "UUID" COLLATE "C");

CREATE INDEX idx_tasks_runuuid_createdat ON tasks ("RunUUID", "CreatedTimestamp", "UUID" COLLATE "C");
CREATE INDEX idx_tasks_pipelinename_createdat ON tasks ("PipelineName", "CreatedTimestamp", "UUID" COLLATE "C");
