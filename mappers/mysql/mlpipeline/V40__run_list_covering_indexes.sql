-- ListRuns counts its matches (total_size) in every call. The list indexes of V22 ordered the page
-- but not the UI's default filter (StorageState <> 'ARCHIVED') nor a state filter, so the count
-- read every matching row. These indexes cover the filter context, the sort and the filtered
-- column: the page and the count are read from the index alone. They replace V22's run_details
-- indexes for namespace and experiment (same leading columns). Online: adding them to a large
-- KFP database does not block writes.
ALTER TABLE `run_details`
  ADD INDEX `idx_run_details_experimentuuid_createdat_storagestate` (`ExperimentUUID`, `CreatedAtInSec`, `UUID`, `StorageState`),
  ADD INDEX `idx_run_details_namespace_createdat_storagestate` (`Namespace`, `CreatedAtInSec`, `UUID`, `StorageState`),
  ADD INDEX `idx_run_details_experimentuuid_state_createdat` (`ExperimentUUID`, `State`, `CreatedAtInSec`, `UUID`),
  ADD INDEX `idx_run_details_namespace_state_createdat` (`Namespace`, `State`, `CreatedAtInSec`, `UUID`),
  DROP INDEX `idx_run_details_experimentuuid_createdat`,
  DROP INDEX `idx_run_details_namespace_createdat`,
  ALGORITHM=INPLACE, LOCK=NONE;
