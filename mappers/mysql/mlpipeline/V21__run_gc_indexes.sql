-- The indexes KFP's run garbage collection needs (KFP leaves them to the operator and pauses GC
-- until they exist; here the migration creates them). Online (INPLACE, LOCK=NONE): building them
-- on a large run_details does not block the API server's writes. Each is created only when
-- absent (an adopted database may have them already; MySQL has no CREATE INDEX IF NOT EXISTS).
SET @ddl = IF((SELECT COUNT(*) FROM information_schema.STATISTICS
                WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'run_details'
                  AND INDEX_NAME = 'idx_run_gc_lifecycle') = 0,
              'ALTER TABLE `run_details` ADD INDEX `idx_run_gc_lifecycle` (`StorageState`, `FinishedAtInSec`), ALGORITHM=INPLACE, LOCK=NONE',
              'DO 0');
PREPARE stmt FROM @ddl;
EXECUTE stmt;
DEALLOCATE PREPARE stmt;

SET @ddl = IF((SELECT COUNT(*) FROM information_schema.STATISTICS
                WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'run_details'
                  AND INDEX_NAME = 'idx_run_gc_archived') = 0,
              'ALTER TABLE `run_details` ADD INDEX `idx_run_gc_archived` (`StorageState`, `ArchivedAtInSec`), ALGORITHM=INPLACE, LOCK=NONE',
              'DO 0');
PREPARE stmt FROM @ddl;
EXECUTE stmt;
DEALLOCATE PREPARE stmt;
