package kfp.store.api;

import java.util.Arrays;

/** How a resource relates to what it references ({@code resource_references.Relationship}). */
public enum Relationship {
    OWNER("Owner"),
    CREATOR("Creator");

    private final String stored;

    Relationship(String stored) {
        this.stored = stored;
    }

    public String stored() {
        return stored;
    }

    public static Relationship fromStored(String value) {
        return Arrays.stream(values()).filter(r -> r.stored.equals(value)).findFirst()
                .orElseThrow(() -> new InvalidArgumentException("unknown relationship '" + value + "'"));
    }
}
