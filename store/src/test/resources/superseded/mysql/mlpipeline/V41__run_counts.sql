-- Exact run counters for ListRuns' total_size (ours): the number of runs per (ExperimentUUID,
-- Namespace, StorageState, State), a run without a State counted under ''. ListRuns sums
-- them instead of counting the matching runs when its scope and filter name only these columns
-- (MyBatisRunStore.countRuns), so total_size stays exact and costs a few rows, not every run.
--
-- Triggers on run_details keep the counters in the transaction of every change, whoever writes
-- (our stores, their GC and bulk statements, a KFP Go server on the same database). Rows whose
-- count drops to 0 stay: keys are few, and an existing row is updated under a record lock only.
--
-- As every migration, this one runs before the servers write: a run written between the filling
-- of the table and the creation of its triggers would not be counted. With a binary log, MySQL
-- lets a user without SUPER create triggers only when log_bin_trust_function_creators is ON
-- (manifests/mysql runs without a binary log).
--
-- MySQL's own: the table is created from its first content (CREATE TABLE ... SELECT) so that its
-- key columns take run_details' own types and collations; an adopted KFP database may use a
-- case-insensitive one, and the counters must group and compare as run_details' columns do.
-- The primary key serves an experiment's sum, and its order is the order in which a run's two
-- counters are locked; idx_run_counts_namespace serves a namespace's sum.
CREATE TABLE `run_counts` (
  PRIMARY KEY (`ExperimentUUID`, `Namespace`, `StorageState`, `State`),
  INDEX `idx_run_counts_namespace` (`Namespace`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
SELECT `ExperimentUUID`,
       `Namespace`,
       `StorageState`,
       COALESCE(`State`, '') AS `State`,
       COUNT(*) AS `RunCount`
  FROM `run_details`
 GROUP BY `ExperimentUUID`, `Namespace`, `StorageState`, COALESCE(`State`, '');

-- Single statements (no BEGIN ... END), and no VALUES() in ON DUPLICATE KEY UPDATE (deprecated
-- by MySQL 8): the delta is a constant, or a column of the SELECT.
CREATE TRIGGER `run_counts_after_insert` AFTER INSERT ON `run_details` FOR EACH ROW
  INSERT INTO `run_counts` (`Namespace`, `ExperimentUUID`, `StorageState`, `State`, `RunCount`)
  VALUES (NEW.`Namespace`, NEW.`ExperimentUUID`, NEW.`StorageState`, COALESCE(NEW.`State`, ''), 1)
  ON DUPLICATE KEY UPDATE `RunCount` = `RunCount` + 1;

CREATE TRIGGER `run_counts_after_delete` AFTER DELETE ON `run_details` FOR EACH ROW
  INSERT INTO `run_counts` (`Namespace`, `ExperimentUUID`, `StorageState`, `State`, `RunCount`)
  VALUES (OLD.`Namespace`, OLD.`ExperimentUUID`, OLD.`StorageState`, COALESCE(OLD.`State`, ''), -1)
  ON DUPLICATE KEY UPDATE `RunCount` = `RunCount` - 1;

-- Only when a key column changes (<=> compares in the columns' collation). The old key's -1 and
-- the new key's +1 are applied in primary key order, so that two runs moving in opposite
-- directions (RUNNING -> SUCCEEDED and SUCCEEDED -> PENDING) lock the same two rows in the same
-- order and cannot deadlock each other.
CREATE TRIGGER `run_counts_after_update` AFTER UPDATE ON `run_details` FOR EACH ROW
  INSERT INTO `run_counts` (`Namespace`, `ExperimentUUID`, `StorageState`, `State`, `RunCount`)
  SELECT `change`.`KeyNamespace`, `change`.`KeyExperimentUUID`, `change`.`KeyStorageState`, `change`.`KeyState`,
         `change`.`Delta`
    FROM (SELECT OLD.`Namespace` AS `KeyNamespace`, OLD.`ExperimentUUID` AS `KeyExperimentUUID`,
                 OLD.`StorageState` AS `KeyStorageState`, COALESCE(OLD.`State`, '') AS `KeyState`, -1 AS `Delta`
          UNION ALL
          SELECT NEW.`Namespace`, NEW.`ExperimentUUID`, NEW.`StorageState`, COALESCE(NEW.`State`, ''), 1) AS `change`
   WHERE NOT (OLD.`Namespace` <=> NEW.`Namespace`
              AND OLD.`ExperimentUUID` <=> NEW.`ExperimentUUID`
              AND OLD.`StorageState` <=> NEW.`StorageState`
              AND COALESCE(OLD.`State`, '') <=> COALESCE(NEW.`State`, ''))
   ORDER BY `change`.`KeyExperimentUUID`, `change`.`KeyNamespace`, `change`.`KeyStorageState`, `change`.`KeyState`
  ON DUPLICATE KEY UPDATE `RunCount` = `RunCount` + `change`.`Delta`;
