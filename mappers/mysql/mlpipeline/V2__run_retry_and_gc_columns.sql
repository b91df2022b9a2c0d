-- Columns KFP master added to run_details for run garbage collection and retry claiming.
-- A separate version so that a database created by a pre-GC KFP release (which lacks them) is
-- adopted at version 1 and receives them here.
ALTER TABLE `run_details`
  ADD COLUMN `RetryGeneration`     bigint DEFAULT 0,
  ADD COLUMN `RetryClaimedAtInSec` bigint DEFAULT 0,
  ADD COLUMN `ArchivedAtInSec`     bigint DEFAULT 0;
