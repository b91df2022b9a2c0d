-- Indexes that serve ListRuns, ListJobs and ListTasks: the filter context's column (equality)
-- first, then the default sort, then the UUID that breaks ties, so a page is read in index order
-- and the LIMIT stops early instead of sorting every matching row. The UUID is COLLATE "C": the
-- lists order it byte-wise whatever the database's locale (see V4). CONCURRENTLY: building them on
-- a large adopted database does not block run, job and task writes (Flyway runs this file outside
-- a transaction).
CREATE INDEX CONCURRENTLY idx_run_details_createdat ON run_details ("CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX CONCURRENTLY idx_run_details_namespace_createdat ON run_details ("Namespace", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX CONCURRENTLY idx_run_details_experimentuuid_createdat ON run_details ("ExperimentUUID", "CreatedAtInSec", "UUID" COLLATE "C");

CREATE INDEX CONCURRENTLY idx_jobs_createdat ON jobs ("CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX CONCURRENTLY idx_jobs_namespace_createdat ON jobs ("Namespace", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX CONCURRENTLY idx_jobs_experimentuuid_createdat ON jobs ("ExperimentUUID", "CreatedAtInSec", "UUID" COLLATE "C");

CREATE INDEX CONCURRENTLY idx_tasks_runuuid_createdat ON tasks ("RunUUID", "CreatedTimestamp", "UUID" COLLATE "C");
CREATE INDEX CONCURRENTLY idx_tasks_pipelinename_createdat ON tasks ("PipelineName", "CreatedTimestamp", "UUID" COLLATE "C");
