package kfp.server.service;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.DefaultExperimentStore;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.NotFoundException;

/**
 * The experiment runs join when they name none (single-user mode). At start-up it is made sure
 * to exist: the recorded one, else an experiment named {@code Default} in the shared namespace
 * (reused, as KFP does, or created), then recorded. It cannot be deleted.
 */
@Singleton
public final class DefaultExperiment {

    static final String NAME = "Default";
    /** KFP's description of it (data the UI shows). */
    static final String DESCRIPTION = "All runs created without specifying an experiment will be grouped here.";

    private final DefaultExperimentStore defaults;
    private final ExperimentStore experiments;

    @Inject
    DefaultExperiment(DefaultExperimentStore defaults, ExperimentStore experiments) {
        this.defaults = defaults;
        this.experiments = experiments;
    }

    /** The id of the default experiment, creating and recording it when there is none. */
    public String ensure() {
        String id = defaults.getDefaultExperimentId();
        if (!id.isEmpty()) {
            return id;
        }
        Experiment e;
        try {
            e = experiments.getExperimentByNameNamespace(NAME, "");
        } catch (NotFoundException absent) {
            try {
                e = experiments.createExperiment(Experiment.newExperiment(NAME, DESCRIPTION, ""));
            } catch (AlreadyExistsException concurrent) { // another server created it first
                e = experiments.getExperimentByNameNamespace(NAME, "");
            }
        }
        defaults.setDefaultExperimentId(e.uuid()); // keeps an id another server recorded first
        return defaults.getDefaultExperimentId();
    }

    /** The recorded id, or {@code ""}. */
    public String id() {
        return defaults.getDefaultExperimentId();
    }
}
