package kfp.store.api;

/**
 * A claim to retry a finished run: what the run was before (so a failed retry can restore it) and
 * the retry generation the claim created (the fence every later status report must carry).
 */
public record RetryClaim(String previousState, String previousConditions, long previousFinishedAtInSec,
        long generation) {
}
