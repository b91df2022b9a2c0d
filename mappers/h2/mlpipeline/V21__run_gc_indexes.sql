-- The indexes KFP's run garbage collection needs (KFP leaves them to the operator and pauses GC
-- until they exist; here the migration creates them). IF NOT EXISTS: an adopted database may
-- have them already.
CREATE INDEX IF NOT EXISTS idx_run_gc_lifecycle ON run_details ("StorageState", "FinishedAtInSec");
CREATE INDEX IF NOT EXISTS idx_run_gc_archived ON run_details ("StorageState", "ArchivedAtInSec");
