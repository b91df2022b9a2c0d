-- The run counters compare byte-wise, as the lists' filters do on every database (README,
-- adoption): on an adopted database KFP's run_details keeps its case-insensitive collation, and
-- migration 41 gave the counters' key columns that collation, which grouped 'Succeeded' and
-- 'SUCCEEDED' under one counter and let an update that only changes case move no run.
-- run_counts is ours: it becomes utf8mb4_bin. The triggers an earlier body of migration 41 created
-- (comparing keys in the table's collation) are dropped: SchemaMigrations creates the current ones
-- after the migrations, where the database allows it, and then counts every counter again
-- (RunCountTriggers, RunCountsMapper.xml).
ALTER TABLE `run_counts`
  CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

DROP TRIGGER IF EXISTS `run_counts_after_insert`;
DROP TRIGGER IF EXISTS `run_counts_after_delete`;
DROP TRIGGER IF EXISTS `run_counts_after_update`;
