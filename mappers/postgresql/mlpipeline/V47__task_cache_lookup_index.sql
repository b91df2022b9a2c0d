-- The v2 driver's cache lookup (TaskMapper.xml, selectTaskPage with the driver's filter): equality
-- on the fingerprint, newest first, one row. The fingerprint (a SHA-256 of the step) leads, so the
-- page is read from the index in list order and the pipeline name and namespace are checked on the
-- few rows of one fingerprint; without it a lookup read every task of the pipeline.
-- Plan (PostgreSQL 15, 200k tasks, 4 per fingerprint): Bitmap Index Scan on task_cache_lookup_index
-- (4 rows), the name and namespace as a filter, a sort of those rows; the same for its COUNT.
-- The UUID is COLLATE "C", as the lists order it (see V4). CONCURRENTLY: building it on a large
-- tasks table does not block the launchers' writes (Flyway runs this file outside a transaction).
CREATE INDEX CONCURRENTLY task_cache_lookup_index
    ON tasks ("Fingerprint", "CreatedTimestamp", "UUID" COLLATE "C");
