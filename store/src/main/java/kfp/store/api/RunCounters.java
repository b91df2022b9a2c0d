package kfp.store.api;

import java.util.List;

/**
 * The run counters behind ListRuns' total_size ({@code run_counts}, kept by triggers on
 * {@code run_details}). Statements that bypass triggers (TRUNCATE, a restore with triggers
 * disabled, a writer on a replica without them) leave them wrong: {@link #check()} finds such
 * drift, {@link #recount()} repairs it. Both read every run; run them when the run list is quiet.
 */
public interface RunCounters {

    /** One counter: the runs of one (experiment, namespace, storage state, state) key. */
    record Counter(String experimentId, String namespace, String storageState, String state, long runCount) {
    }

    /** A key whose counter differs from its runs: what the counter holds, and what the runs say. */
    record Drift(String experimentId, String namespace, String storageState, String state, long counted, long runs) {
    }

    /**
     * Whether triggers keep the counters. False on a MySQL database that refused to create them
     * (logged at start-up): ListRuns then counts the matching runs for total_size.
     */
    boolean maintained();

    /** The keys whose counter differs from the runs; empty when the counters are exact. */
    List<Drift> check();

    /**
     * Counts every key again from the runs, under a lock that holds writers of runs until it
     * commits (their triggers then count on top), and returns the number of keys counted.
     * Idempotent: a second recount changes nothing.
     */
    int recount();
}
