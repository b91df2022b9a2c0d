-- ListRuns counts its matches (total_size) in every call. The list indexes of V22 ordered the page
-- but not the UI's default filter ("StorageState" <> 'ARCHIVED') nor a state filter, so the count
-- read every matching row. These indexes cover the filter context, the sort and the filtered
-- column: the page and the count are index-only scans (on pages the visibility map marks all
-- visible). They replace V22's run_details indexes for namespace and experiment (same leading
-- columns). The UUID is COLLATE "C", as the lists order it (see V4).
CREATE INDEX idx_run_details_experimentuuid_createdat_storagestate
    ON run_details ("ExperimentUUID", "CreatedAtInSec", "UUID" COLLATE "C", "StorageState");
CREATE INDEX idx_run_details_namespace_createdat_storagestate
    ON run_details ("Namespace", "CreatedAtInSec", "UUID" COLLATE "C", "StorageState");
CREATE INDEX idx_run_details_experimentuuid_state_createdat
    ON run_details ("ExperimentUUID", "State", "CreatedAtInSec", "UUID" COLLATE "C");
CREATE INDEX idx_run_details_namespace_state_createdat
    ON run_details ("Namespace", "State", "CreatedAtInSec", "UUID" COLLATE "C");
DROP INDEX idx_run_details_experimentuuid_createdat;
DROP INDEX idx_run_details_namespace_createdat;
