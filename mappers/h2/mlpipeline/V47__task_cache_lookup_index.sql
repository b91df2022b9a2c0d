-- The v2 driver's cache lookup (TaskMapper.xml, selectTaskPage with the driver's filter): equality
-- on the fingerprint, newest first, one row. The fingerprint (a SHA-256 of the step) leads, so the
-- page is read from the index in list order and the pipeline name and namespace are checked on the
-- few rows of one fingerprint; without it a lookup read every task of the pipeline.
CREATE INDEX task_cache_lookup_index ON tasks ("Fingerprint", "CreatedTimestamp", "UUID");
