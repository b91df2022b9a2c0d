package kfp.store.api;

/**
 * One entry of a run's or task's state history: the v2 runtime state and when it was entered
 * (epoch seconds). Stored as KFP's JSON ({@code {"UpdateTimeInSec":…,"State":"…"}}).
 */
public record StateChange(long updateTimeInSec, String state) {
}
