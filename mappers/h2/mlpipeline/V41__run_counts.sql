-- Exact run counters for ListRuns' total_size (ours): the number of runs per (ExperimentUUID,
-- Namespace, StorageState, State), a run without a State counted under ''. ListRuns sums
-- them instead of counting the matching runs when its scope and filter name only these columns
-- (MyBatisRunStore.countRuns), so total_size stays exact and costs a few rows, not every run.
--
-- A trigger on run_details keeps the counters in the transaction of every change, whoever
-- writes. Rows whose count drops to 0 stay: keys are few, and an existing row is only updated.
--
-- As every migration, this one runs before the servers write (H2 is embedded: one server).
CREATE TABLE run_counts (
  "ExperimentUUID" varchar(64) NOT NULL,
  "Namespace"      varchar(63) NOT NULL,
  "StorageState"   varchar     NOT NULL,
  "State"          varchar     NOT NULL,
  "RunCount"       bigint      NOT NULL,
  PRIMARY KEY ("ExperimentUUID", "Namespace", "StorageState", "State")
);
-- The primary key serves an experiment's sum, and its order is the order in which every writer
-- locks counters; this index serves a namespace's sum.
CREATE INDEX idx_run_counts_namespace ON run_counts ("Namespace");

INSERT INTO run_counts ("ExperimentUUID", "Namespace", "StorageState", "State", "RunCount")
SELECT "ExperimentUUID",
       "Namespace",
       "StorageState",
       COALESCE("State", ''),
       COUNT(*)
  FROM run_details
 GROUP BY "ExperimentUUID", "Namespace", "StorageState", COALESCE("State", '');

-- H2's own: its triggers are Java classes (insert +1, delete -1, an update that changes a key
-- moves the run between two counters, in key order).
CREATE TRIGGER run_counts_track AFTER INSERT, UPDATE, DELETE ON run_details
  FOR EACH ROW CALL 'kfp.store.migration.H2RunCountsTrigger';
