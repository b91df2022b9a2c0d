-- Expiry deletes the oldest rows in bounded batches; this index finds them without a scan.
-- (KFP's composite_id_idx starts with ID and cannot serve a range on StartedAtInSec.)
CREATE INDEX idx_execution_caches_startedatinsec ON execution_caches ("StartedAtInSec");
