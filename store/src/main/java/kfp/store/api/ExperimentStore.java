package kfp.store.api;

/** The {@code experiments} table. Names are unique per namespace, ignoring case (docs/kfp-compatibility.md#case-rules). */
public interface ExperimentStore {

    /**
     * Creates an experiment with a new id, created now, no runs yet.
     *
     * @throws AlreadyExistsException when the namespace has an experiment of that name (any case)
     * @throws InvalidArgumentException for an empty name or a value longer than its column
     */
    Experiment createExperiment(Experiment experiment);

    /** @throws NotFoundException "Experiment &lt;id&gt; not found" */
    Experiment getExperiment(String id);

    /** The experiment of that name (ignoring case) in {@code namespace}. @throws NotFoundException */
    Experiment getExperimentByNameNamespace(String name, String namespace);

    /**
     * Experiments in a namespace ({@code FilterContext.of(NAMESPACE, ns)}; other contexts list all),
     * filtered, sorted and paged (see {@link ListOptions}).
     */
    ListResult<Experiment> listExperiments(FilterContext context, ListOptions options);

    /**
     * Archives the experiment, archives its runs (stamping their ArchivedAtInSec) and disables its
     * recurring runs, in one transaction. Runs and recurring runs are found both by their
     * experiment column and by their resource references. @throws NotFoundException
     */
    void archiveExperiment(String id);

    /** Makes the experiment available again; its runs stay archived, its recurring runs disabled. @throws NotFoundException */
    void unarchiveExperiment(String id);

    /**
     * Deletes the experiment, clears it as the default experiment, and deletes the references it
     * holds and those pointing at it. Runs and recurring runs stay. @throws NotFoundException
     */
    void deleteExperiment(String id);

    /** Records the creation time of the experiment's newest run. @throws NotFoundException */
    void setLastRunTimestamp(String experimentId, long runCreatedAtInSec);
}
