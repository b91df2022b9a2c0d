-- The run counters compare byte-wise, as the lists' filters do on every database (README,
-- adoption): on an adopted database KFP's run_details keeps its case-insensitive collation, and
-- migration 41 gave the counters' key columns that collation, which grouped 'Succeeded' and
-- 'SUCCEEDED' under one counter and let an update that only changes case move no run.
-- run_counts is ours: it becomes utf8mb4_bin; the update trigger compares the keys byte-wise;
-- then every counter is counted again. Migration 41 filled the counters before its triggers
-- existed; here the triggers exist first and the count runs in one transaction that share-locks
-- every run (on the primary key), then every counter: the lock order of every run change, and
-- the recount of RunCountsMapper.xml (a migration's body is frozen, hence its own copy). A writer
-- waits and its trigger applies after the count. (Each DDL statement commits on its own; the
-- count is the last transaction.)
ALTER TABLE `run_counts`
  CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

DROP TRIGGER `run_counts_after_update`;

CREATE TRIGGER `run_counts_after_update` AFTER UPDATE ON `run_details` FOR EACH ROW
  INSERT INTO `run_counts` (`Namespace`, `ExperimentUUID`, `StorageState`, `State`, `RunCount`)
  SELECT `change`.`KeyNamespace`, `change`.`KeyExperimentUUID`, `change`.`KeyStorageState`, `change`.`KeyState`,
         `change`.`Delta`
    FROM (SELECT OLD.`Namespace` AS `KeyNamespace`, OLD.`ExperimentUUID` AS `KeyExperimentUUID`,
                 OLD.`StorageState` AS `KeyStorageState`, COALESCE(OLD.`State`, '') AS `KeyState`, -1 AS `Delta`
          UNION ALL
          SELECT NEW.`Namespace`, NEW.`ExperimentUUID`, NEW.`StorageState`, COALESCE(NEW.`State`, ''), 1) AS `change`
   WHERE NOT (CAST(OLD.`Namespace` AS BINARY) <=> CAST(NEW.`Namespace` AS BINARY)
              AND CAST(OLD.`ExperimentUUID` AS BINARY) <=> CAST(NEW.`ExperimentUUID` AS BINARY)
              AND CAST(OLD.`StorageState` AS BINARY) <=> CAST(NEW.`StorageState` AS BINARY)
              AND CAST(COALESCE(OLD.`State`, '') AS BINARY) <=> CAST(COALESCE(NEW.`State`, '') AS BINARY))
   ORDER BY CAST(`change`.`KeyExperimentUUID` AS BINARY), CAST(`change`.`KeyNamespace` AS BINARY),
            CAST(`change`.`KeyStorageState` AS BINARY), CAST(`change`.`KeyState` AS BINARY)
  ON DUPLICATE KEY UPDATE `RunCount` = `RunCount` + `change`.`Delta`;

SELECT COUNT(*)
  FROM `run_details` FORCE INDEX (PRIMARY)
  LOCK IN SHARE MODE;

DELETE FROM `run_counts`;

-- Grouped byte-wise; MIN() of a group's byte-equal values is that value.
INSERT INTO `run_counts` (`ExperimentUUID`, `Namespace`, `StorageState`, `State`, `RunCount`)
SELECT MIN(`ExperimentUUID`),
       MIN(`Namespace`),
       MIN(`StorageState`),
       MIN(COALESCE(`State`, '')),
       COUNT(*)
  FROM `run_details`
 GROUP BY CAST(`ExperimentUUID` AS BINARY),
          CAST(`Namespace` AS BINARY),
          CAST(`StorageState` AS BINARY),
          CAST(COALESCE(`State`, '') AS BINARY);
