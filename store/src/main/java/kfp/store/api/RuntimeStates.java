package kfp.store.api;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * KFP's run and task states as the stores write them: v2 runtime state
 * names in {@code State}, the deprecated v1 status in a run's {@code Conditions}, and the
 * storage states of runs.
 */
public final class RuntimeStates {

    public static final String UNSPECIFIED = "RUNTIME_STATE_UNSPECIFIED";
    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String SKIPPED = "SKIPPED";
    public static final String FAILED = "FAILED";
    public static final String CANCELING = "CANCELING";
    public static final String CANCELED = "CANCELED";
    public static final String PAUSED = "PAUSED";

    public static final String AVAILABLE = "AVAILABLE";
    public static final String ARCHIVED = "ARCHIVED";

    private static final Set<String> V2 = Set.of(UNSPECIFIED, PENDING, RUNNING, SUCCEEDED, SKIPPED,
            FAILED, CANCELING, CANCELED, PAUSED);

    /** States a run can be terminated from (TerminateRun). */
    public static final List<String> TERMINABLE = List.of(PAUSED, PENDING, RUNNING, UNSPECIFIED);

    /** Finished states, in v2 and the legacy spellings KFP wrote (run GC, retry claim). */
    public static final List<String> TERMINAL = List.of(SUCCEEDED, FAILED, SKIPPED, CANCELED,
            "Succeeded", "Failed", "Skipped", "Error", "Done", "DISABLED");

    /** Storage states that mean "not archived", including legacy spellings and ''. */
    public static final List<String> NOT_ARCHIVED = List.of(AVAILABLE, "STORAGESTATE_AVAILABLE",
            "STORAGE_STATE_UNSPECIFIED", "STORAGESTATE_UNSPECIFIED", "NO_STATUS", "Error", "ENABLED", "Ready", "");

    /** Storage states that mean "archived", including legacy spellings. */
    public static final List<String> ARCHIVED_STATES = List.of(ARCHIVED, "STORAGESTATE_ARCHIVED", "DISABLED");

    private RuntimeStates() {
    }

    /** The v2 name of a state given in v2 or v1/legacy spelling (case-insensitive); unknown → UNSPECIFIED. */
    public static String toV2(String state) {
        if (state == null) {
            return UNSPECIFIED;
        }
        String s = state.trim().toUpperCase(Locale.ROOT);
        if (V2.contains(s)) {
            return s;
        }
        return switch (s) {
            case "ENABLED", "READY" -> RUNNING;
            case "DONE" -> SUCCEEDED;
            case "ERROR" -> FAILED;
            case "TERMINATING" -> CANCELING;
            case "DISABLED" -> CANCELED;
            default -> UNSPECIFIED; // Unknown, NO_STATUS, '' and anything else
        };
    }

    /** The v1 status KFP writes in {@code run_details.Conditions} for a v2 state. */
    public static String toConditions(String v2State) {
        return switch (toV2(v2State)) {
            case PENDING, PAUSED -> "Pending";
            case RUNNING -> "Running";
            case SUCCEEDED -> "Succeeded";
            case SKIPPED -> "Skipped";
            case FAILED, CANCELED -> "Failed";
            case CANCELING -> "Terminating";
            default -> "Unknown";
        };
    }

    /** A run's storage state: empty/unspecified → AVAILABLE; unknown → InvalidArgument. */
    public static String storageState(String given) {
        if (given == null || given.isEmpty()) {
            return AVAILABLE;
        }
        String s = given.toUpperCase(Locale.ROOT);
        return switch (s) {
            case AVAILABLE, "STORAGESTATE_AVAILABLE", "STORAGE_STATE_UNSPECIFIED", "STORAGESTATE_UNSPECIFIED" -> AVAILABLE;
            case ARCHIVED, "STORAGESTATE_ARCHIVED" -> ARCHIVED;
            default -> throw new InvalidArgumentException("invalid storage state '" + given + "'");
        };
    }

    /** True for a state a finished run has, in any spelling KFP wrote. */
    public static boolean isTerminal(String state) {
        return state != null && TERMINAL.contains(state);
    }

    /** The history with {@code (now, state)} appended unless its last entry already has that state. */
    public static List<StateChange> withEntry(List<StateChange> history, String state, long now) {
        List<StateChange> h = history == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(history);
        if (h.isEmpty() || !state.equals(h.get(h.size() - 1).state())) {
            h.add(new StateChange(now, state));
        }
        return h;
    }
}
