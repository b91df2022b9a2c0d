-- The indexes KFP's run garbage collection needs (KFP leaves them to the operator and pauses GC
-- until they exist; here the migration creates them). CONCURRENTLY: building them on a large
-- run_details does not block the API server's writes (Flyway runs this file outside a
-- transaction). IF NOT EXISTS: an adopted database may have them already.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_run_gc_lifecycle ON run_details ("StorageState", "FinishedAtInSec");
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_run_gc_archived ON run_details ("StorageState", "ArchivedAtInSec");
