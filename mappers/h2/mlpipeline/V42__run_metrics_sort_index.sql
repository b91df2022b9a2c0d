-- ListRuns sorted by metric:<name> walks one metric's values in order (RunMapper.xml,
-- selectRunPageByMetric): equality on the name, then the value, then the run, so a page is read
-- from the index in list order and stops after the page, however many runs the list has.
CREATE INDEX idx_run_metrics_name_numbervalue_runuuid
    ON run_metrics ("Name", "NumberValue", "RunUUID");
