-- KFP cache server table (database cachedb). Fix over KFP: ExecutionTemplate and ExecutionOutput
-- are LONGTEXT (one KFP release made them varchar(255), which rejects or truncates real templates).
CREATE TABLE `execution_caches` (
  `ID`                bigint       NOT NULL AUTO_INCREMENT,
  `ExecutionCacheKey` varchar(191) NOT NULL,
  `ExecutionTemplate` longtext     NOT NULL,
  `ExecutionOutput`   longtext     NOT NULL,
  `MaxCacheStaleness` bigint       NOT NULL,
  `StartedAtInSec`    bigint       NOT NULL,
  `EndedAtInSec`      bigint       NOT NULL,
  PRIMARY KEY (`ID`),
  INDEX `composite_id_idx` (`ID`, `StartedAtInSec`),
  INDEX `idx_cache_key` (`ExecutionCacheKey`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
