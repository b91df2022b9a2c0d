-- MySQL's triggers behind run_counts (migration 41), created at start-up by RunCountTriggers
-- after the migrations, then the counters are counted again (RunCountsMapper.xml, recount).
-- Not a migration: a database whose binary log keeps a user without SUPER from creating
-- triggers must still start (the counters are then off). One statement per paragraph; single
-- statements (no BEGIN ... END), and no VALUES() in ON DUPLICATE KEY UPDATE (deprecated by MySQL
-- 8): the delta is a constant, or a column of the SELECT. An update that changes a key moves the
-- run between its two counters, compared byte-wise (as the lists compare) and locked in key order.

CREATE TRIGGER `run_counts_after_insert` AFTER INSERT ON `run_details` FOR EACH ROW
  INSERT INTO `run_counts` (`Namespace`, `ExperimentUUID`, `StorageState`, `State`, `RunCount`)
  VALUES (NEW.`Namespace`, NEW.`ExperimentUUID`, NEW.`StorageState`, COALESCE(NEW.`State`, ''), 1)
  ON DUPLICATE KEY UPDATE `RunCount` = `RunCount` + 1

CREATE TRIGGER `run_counts_after_delete` AFTER DELETE ON `run_details` FOR EACH ROW
  INSERT INTO `run_counts` (`Namespace`, `ExperimentUUID`, `StorageState`, `State`, `RunCount`)
  VALUES (OLD.`Namespace`, OLD.`ExperimentUUID`, OLD.`StorageState`, COALESCE(OLD.`State`, ''), -1)
  ON DUPLICATE KEY UPDATE `RunCount` = `RunCount` - 1

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
  ON DUPLICATE KEY UPDATE `RunCount` = `RunCount` + `change`.`Delta`
