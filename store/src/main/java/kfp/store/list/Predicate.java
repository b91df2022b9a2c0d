package kfp.store.list;

import java.util.List;
import java.util.Objects;

/**
 * One parsed filter predicate: a key (an API field name, or {@code tags.<key>}), an operation and
 * a value. The value is a {@code String} or {@code Long} for scalar operations, a {@code List} of
 * one of them for IN. Timestamps are already epoch seconds.
 */
public record Predicate(String key, Operation operation, Object value) {

    public Predicate {
        Objects.requireNonNull(key);
        Objects.requireNonNull(operation);
        Objects.requireNonNull(value);
        if (value instanceof List<?> list) {
            value = List.copyOf(list);
        }
    }

    public boolean isStringValue() {
        return value instanceof String || (value instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String);
    }
}
