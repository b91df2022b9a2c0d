-- Columns KFP master added to run_details for run garbage collection and retry claiming.
ALTER TABLE run_details ADD COLUMN "RetryGeneration"     bigint DEFAULT 0;
ALTER TABLE run_details ADD COLUMN "RetryClaimedAtInSec" bigint DEFAULT 0;
ALTER TABLE run_details ADD COLUMN "ArchivedAtInSec"     bigint DEFAULT 0;
