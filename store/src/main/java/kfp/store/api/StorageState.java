package kfp.store.api;

import java.util.Locale;

/** Whether an experiment or run is archived. Stored as the v2 names; v1 and legacy names are read too. */
public enum StorageState {
    AVAILABLE,
    ARCHIVED;

    /** Reads a stored value: {@code ARCHIVED}, v1 {@code STORAGESTATE_ARCHIVED} and legacy {@code DISABLED} are archived. */
    public static StorageState fromStored(String value) {
        String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
        return switch (v) {
            case "ARCHIVED", "STORAGESTATE_ARCHIVED", "DISABLED" -> ARCHIVED;
            default -> AVAILABLE;
        };
    }
}
