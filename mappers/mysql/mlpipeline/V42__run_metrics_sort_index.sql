-- ListRuns sorted by metric:<name> walks one metric's values in order (RunMapper.xml,
-- selectRunPageByMetric): equality on the name, then the value, then the run, so a page is read
-- from the index in list order and stops after the page, however many runs the list has.
-- The table is utf8mb4_bin, so RunUUID is in the byte order the lists use. Online: adding it to
-- a large KFP database does not block writes.
ALTER TABLE `run_metrics`
  ADD INDEX `idx_run_metrics_name_numbervalue_runuuid` (`Name`, `NumberValue`, `RunUUID`),
  ALGORITHM=INPLACE, LOCK=NONE;
