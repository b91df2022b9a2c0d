-- Exact run counters for ListRuns' total_size (ours): the number of runs per (ExperimentUUID,
-- Namespace, StorageState, State), a run without a State counted under ''. ListRuns sums
-- them instead of counting the matching runs when its scope and filter name only these columns
-- (MyBatisRunStore.countRuns), so total_size stays exact and costs a few rows, not every run.
--
-- Triggers on run_details keep the counters in the transaction of every change, whoever writes
-- (our stores, their GC and bulk statements, a KFP Go server on the same database). Rows whose
-- count drops to 0 stay: keys are few, and an existing row is only updated.
--
-- As every migration, this one runs before the servers write. It is one transaction: the
-- triggers are created before the counters are filled, and CREATE TRIGGER blocks writers of
-- run_details until the commit, so no run can be missed or counted twice.
CREATE TABLE run_counts (
  "ExperimentUUID" varchar(64) NOT NULL,
  "Namespace"      varchar(63) NOT NULL,
  "StorageState"   text        NOT NULL,
  "State"          text        NOT NULL,
  "RunCount"       bigint      NOT NULL,
  PRIMARY KEY ("ExperimentUUID", "Namespace", "StorageState", "State")
);
-- The primary key serves an experiment's sum, and its order is the order in which every writer
-- locks counters; this index serves a namespace's sum.
CREATE INDEX idx_run_counts_namespace ON run_counts ("Namespace");

-- Adds delta to one counter. The search path is the migration's, so that a writer connected with
-- another one (a KFP Go server) still finds run_counts.
CREATE OR REPLACE FUNCTION run_counts_add(namespace text, experiment_uuid text, storage_state text, state text,
                                          delta bigint)
RETURNS void
LANGUAGE sql
SET search_path FROM CURRENT
AS $$
  INSERT INTO run_counts ("ExperimentUUID", "Namespace", "StorageState", "State", "RunCount")
  VALUES (experiment_uuid, namespace, storage_state, COALESCE(state, ''), delta)
  ON CONFLICT ("ExperimentUUID", "Namespace", "StorageState", "State")
  DO UPDATE SET "RunCount" = run_counts."RunCount" + EXCLUDED."RunCount"
$$;

-- An update moves a run from its old key to its new one: the two counters are changed in key
-- order, so that two runs moving in opposite directions (RUNNING -> SUCCEEDED and
-- SUCCEEDED -> PENDING) lock the same two rows in the same order and cannot deadlock each other.
CREATE OR REPLACE FUNCTION run_counts_track()
RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM run_counts_add(NEW."Namespace", NEW."ExperimentUUID", NEW."StorageState", NEW."State", 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM run_counts_add(OLD."Namespace", OLD."ExperimentUUID", OLD."StorageState", OLD."State", -1);
  ELSIF ROW(OLD."ExperimentUUID", OLD."Namespace", OLD."StorageState", COALESCE(OLD."State", ''))
        < ROW(NEW."ExperimentUUID", NEW."Namespace", NEW."StorageState", COALESCE(NEW."State", '')) THEN
    PERFORM run_counts_add(OLD."Namespace", OLD."ExperimentUUID", OLD."StorageState", OLD."State", -1);
    PERFORM run_counts_add(NEW."Namespace", NEW."ExperimentUUID", NEW."StorageState", NEW."State", 1);
  ELSE
    PERFORM run_counts_add(NEW."Namespace", NEW."ExperimentUUID", NEW."StorageState", NEW."State", 1);
    PERFORM run_counts_add(OLD."Namespace", OLD."ExperimentUUID", OLD."StorageState", OLD."State", -1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER run_counts_after_insert_or_delete
  AFTER INSERT OR DELETE ON run_details
  FOR EACH ROW EXECUTE FUNCTION run_counts_track();

-- Only when a key column changes (a run without a State and one with '' have the same key).
CREATE TRIGGER run_counts_after_update
  AFTER UPDATE OF "Namespace", "ExperimentUUID", "StorageState", "State" ON run_details
  FOR EACH ROW
  WHEN (OLD."Namespace" IS DISTINCT FROM NEW."Namespace"
        OR OLD."ExperimentUUID" IS DISTINCT FROM NEW."ExperimentUUID"
        OR OLD."StorageState" IS DISTINCT FROM NEW."StorageState"
        OR COALESCE(OLD."State", '') IS DISTINCT FROM COALESCE(NEW."State", ''))
  EXECUTE FUNCTION run_counts_track();

INSERT INTO run_counts ("ExperimentUUID", "Namespace", "StorageState", "State", "RunCount")
SELECT "ExperimentUUID",
       "Namespace",
       "StorageState",
       COALESCE("State", ''),
       COUNT(*)
  FROM run_details
 GROUP BY "ExperimentUUID", "Namespace", "StorageState", COALESCE("State", '');
