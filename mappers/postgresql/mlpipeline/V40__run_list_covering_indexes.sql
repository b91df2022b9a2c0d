-- ListRuns counts its matches (total_size) in every call. The list indexes of V22 ordered the page
-- but not the UI's default filter ("StorageState" <> 'ARCHIVED') nor a state filter, so the count
-- read every matching row. These indexes cover the filter context, the sort and the filtered
-- column: the page and the count are index-only scans (on pages the visibility map marks all
-- visible). They replace V22's run_details indexes for namespace and experiment (same leading
-- columns). The UUID is COLLATE "C", as the lists order it (see V4). CONCURRENTLY: neither the
-- builds nor the drops block run writes on a large adopted database (Flyway runs this file outside
-- a transaction).
CREATE INDEX CONCURRENTLY idx_run_details_experimentuuid_createdat_storagestate
    ON run_details ("ExperimentUUID", "CreatedAtInSec", "UUID" COLLATE "C", "StorageState");
CREATE INDEX CONCURRENTLY idx_run_details_namespace_createdat_storagestate
    ON run_details ("Namespace", "CreatedAtInSec", "UUID" COLLATE "C", "StorageState");
CREATE INDEX CONCURRENTLY idx_run_details_experimentuuid_state_createdat
    ON run_details ("ExperimentUUID", "State", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX CONCURRENTLY idx_run_details_namespace_state_createdat
    ON run_details ("Namespace", "State", "CreatedAtInSec", "UUID" COLLATE "C");
DROP INDEX CONCURRENTLY idx_run_details_experimentuuid_createdat;
DROP INDEX CONCURRENTLY idx_run_details_namespace_createdat;
