package kfp.store.api;

/** The single-row {@code db_statuses} table: whether the sample pipelines were loaded. */
public interface DBStatusStore {

    boolean haveSamplesLoaded();

    void markSampleLoaded();
}
