-- Exact run counters for ListRuns' total_size (ours): the number of runs per (Namespace,
-- ExperimentUUID, StorageState, State), a run without a State counted under ''. ListRuns sums
-- them instead of counting the matching runs when its scope and filter name only these columns
-- (MyBatisRunStore.countRuns), so total_size stays exact and costs a few rows, not every run.
--
-- A trigger on run_details keeps the counters in the transaction of every change, whoever
-- writes. Rows whose count drops to 0 stay: keys are few, and an existing row is only updated.
--
-- As every migration, this one runs before the servers write (H2 is embedded: one server).
CREATE TABLE run_counts (
  "Namespace"      varchar(63) NOT NULL,
  "ExperimentUUID" varchar(64) NOT NULL,
  "StorageState"   varchar     NOT NULL,
  "State"          varchar     NOT NULL,
  "RunCount"       bigint      NOT NULL,
  PRIMARY KEY ("Namespace", "ExperimentUUID", "StorageState", "State")
);
-- The primary key serves a namespace's sum; this index an experiment's (its few rows).
CREATE INDEX idx_run_counts_experimentuuid ON run_counts ("ExperimentUUID");

INSERT INTO run_counts ("Namespace", "ExperimentUUID", "StorageState", "State", "RunCount")
SELECT "Namespace",
       "ExperimentUUID",
       "StorageState",
       COALESCE("State", ''),
       COUNT(*)
  FROM run_details
 GROUP BY "Namespace", "ExperimentUUID", "StorageState", COALESCE("State", '');

-- H2's own: its triggers are Java classes (insert +1, delete -1, an update that changes a key
-- moves the run between two counters, in key order).
CREATE TRIGGER run_counts_track AFTER INSERT, UPDATE, DELETE ON run_details
  FOR EACH ROW CALL 'kfp.store.migration.H2RunCountsTrigger';
