-- ListRuns counts its matches (total_size) in every call. The list indexes of V22 ordered the page
-- but not the UI's default filter ("StorageState" <> 'ARCHIVED') nor a state filter, so the count
-- read every matching row. These indexes cover the filter context, the sort and the filtered
-- column, so the page and the count are read from the index. They replace V22's run_details
-- indexes for namespace and experiment (same leading columns).
CREATE INDEX idx_run_details_experimentuuid_createdat_storagestate
    ON run_details ("ExperimentUUID", "CreatedAtInSec", "UUID", "StorageState");
CREATE INDEX idx_run_details_namespace_createdat_storagestate
    ON run_details ("Namespace", "CreatedAtInSec", "UUID", "StorageState");
CREATE INDEX idx_run_details_experimentuuid_state_createdat
    ON run_details ("ExperimentUUID", "State", "CreatedAtInSec", "UUID");
CREATE INDEX idx_run_details_namespace_state_createdat
    ON run_details ("Namespace", "State", "CreatedAtInSec", "UUID");
DROP INDEX idx_run_details_experimentuuid_createdat;
DROP INDEX idx_run_details_namespace_createdat;
