package kfp.store.api;

/** A metric a run reported: one per (run, node, name). */
public class RunMetric {
    public String runId;
    public String nodeId;
    public String name;
    public Double numberValue;
    public String format;

    public RunMetric() {
    }

    public RunMetric(String runId, String nodeId, String name, Double numberValue, String format) {
        this.runId = runId;
        this.nodeId = nodeId;
        this.name = name;
        this.numberValue = numberValue;
        this.format = format;
    }
}
