-- Exact run counters for ListRuns' total_size (ours): the number of runs per (ExperimentUUID,
-- Namespace, StorageState, State), a run without a State counted under ''. ListRuns sums
-- them instead of counting the matching runs when its scope and filter name only these columns
-- (MyBatisRunStore.countRuns), so total_size stays exact and costs a few rows, not every run.
--
-- Triggers on run_details keep the counters in the transaction of every change, whoever writes
-- (our stores, their GC and bulk statements, a KFP Go server on the same database). Rows whose
-- count drops to 0 stay: keys are few, and an existing row is updated under a record lock only.
--
-- MySQL's triggers are not created here: with a binary log (MySQL 8's default, managed MySQL with
-- backups) a user without SUPER may not create them, and a migration that fails stops the
-- server. SchemaMigrations creates them after the migrations (RunCountTriggers: triggers first,
-- then a recount under a lock) or, when the database refuses, logs that the counters are off;
-- ListRuns then counts the matching runs (MyBatisRunStore.countRuns).
--
-- MySQL's own: the table is created from its first content (CREATE TABLE ... SELECT) so that its
-- key columns take run_details' own types and collations; an adopted KFP database may use a
-- case-insensitive one (migration 46 then makes the counters byte-wise, as the lists compare).
-- The primary key serves an experiment's sum, and its order is the order in which a run's two
-- counters are locked; idx_run_counts_namespace serves a namespace's sum.
CREATE TABLE `run_counts` (
  PRIMARY KEY (`ExperimentUUID`, `Namespace`, `StorageState`, `State`),
  INDEX `idx_run_counts_namespace` (`Namespace`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
SELECT `ExperimentUUID`,
       `Namespace`,
       `StorageState`,
       COALESCE(`State`, '') AS `State`,
       COUNT(*) AS `RunCount`
  FROM `run_details`
 GROUP BY `ExperimentUUID`, `Namespace`, `StorageState`, COALESCE(`State`, '');
