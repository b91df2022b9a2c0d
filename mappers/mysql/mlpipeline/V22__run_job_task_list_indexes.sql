-- Indexes that serve ListRuns, ListJobs and ListTasks: the filter context's column (equality)
-- first, then the default sort, then the UUID that breaks ties, so a page is read in index order
-- and the LIMIT stops early instead of sorting every matching row. Online, so that adding them to
-- a large KFP database does not block writes.
ALTER TABLE `run_details`
  ADD INDEX `idx_run_details_createdat` (`CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_run_details_namespace_createdat` (`Namespace`, `CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_run_details_experimentuuid_createdat` (`ExperimentUUID`, `CreatedAtInSec`, `UUID`),
  ALGORITHM=INPLACE, LOCK=NONE;

ALTER TABLE `jobs`
  ADD INDEX `idx_jobs_createdat` (`CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_jobs_namespace_createdat` (`Namespace`, `CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_jobs_experimentuuid_createdat` (`ExperimentUUID`, `CreatedAtInSec`, `UUID`),
  ALGORITHM=INPLACE, LOCK=NONE;

ALTER TABLE `tasks`
  ADD INDEX `idx_tasks_runuuid_createdat` (`RunUUID`, `CreatedTimestamp`, `UUID`),
  ADD INDEX `idx_tasks_pipelinename_createdat` (`PipelineName`, `CreatedTimestamp`, `UUID`),
  ALGORITHM=INPLACE, LOCK=NONE;
