-- The v2 driver's cache lookup (TaskMapper.xml, selectTaskPage with the driver's filter): equality
-- on the fingerprint, newest first, one row. The fingerprint (a SHA-256 of the step) leads, so the
-- page is read from the index in list order and the pipeline name and namespace are checked on the
-- few rows of one fingerprint; without it a lookup read every task of the pipeline.
-- Plan (MariaDB 10.11, 200k tasks, 4 per fingerprint): ref on task_cache_lookup_index, 4 rows, no
-- filesort, for the page and for its COUNT; without it, idx_tasks_pipelinename_createdat and ~19k rows.
-- 255 + 191 utf8mb4 characters and a BIGINT: about 1.8 KB, within InnoDB's 3072-byte key limit.
-- Online: adding it to a large KFP database does not block the launchers' writes.
ALTER TABLE `tasks`
  ADD INDEX `task_cache_lookup_index` (`Fingerprint`, `CreatedTimestamp`, `UUID`),
  ALGORITHM=INPLACE, LOCK=NONE;
