-- A pod identifies a task within its run: KFP's create-or-update assumes it but had no key, so
-- concurrent reports of one pod could insert it twice (KFP quirk §9.19). Rows such a race left in
-- an adopted database are collapsed first, keeping the newest row of each pod (MySQL cannot read
-- the table it deletes from in a sub-query, hence the self-join).
DELETE older
  FROM `tasks` AS older
  JOIN `tasks` AS newer
    ON newer.`RunUUID` = older.`RunUUID`
   AND newer.`PodName` = older.`PodName`
   AND (newer.`CreatedTimestamp` > older.`CreatedTimestamp`
        OR (newer.`CreatedTimestamp` = older.`CreatedTimestamp` AND newer.`UUID` > older.`UUID`));

-- 191 + 255 utf8mb4 characters: 1784 bytes, within InnoDB's 3072-byte key limit.
ALTER TABLE `tasks`
  ADD UNIQUE INDEX `uk_tasks_runuuid_podname` (`RunUUID`, `PodName`),
  ALGORITHM=INPLACE, LOCK=NONE;
