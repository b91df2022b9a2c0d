package kfp.store.api;

/**
 * The single-row {@code default_experiments} table: the experiment that runs without one join.
 * The id is set once; an empty string means "none yet".
 */
public interface DefaultExperimentStore {

    /** The default experiment id, or {@code ""} when none was set. */
    String getDefaultExperimentId();

    /** Sets the id if none is set yet; a later call with another id changes nothing (KFP semantics). */
    void setDefaultExperimentId(String id);

    /** Clears the id if it is {@code id}; used when that experiment is deleted. */
    void unsetDefaultExperimentIdIfIdMatches(String id);
}
