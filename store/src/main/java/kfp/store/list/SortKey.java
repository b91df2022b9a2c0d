package kfp.store.list;

import java.util.Objects;
import org.mybatis.dynamic.sql.BindableColumn;

/**
 * What a list is ordered by: an expression over allow-listed columns, its value kind, whether it
 * can be NULL (NULLs come last in both directions), and an optional bind argument the store's
 * statement needs to compute it (e.g. the metric name of a {@code metric:<name>} sort).
 *
 * <p>A resource offers its mapped fields as sort keys; a list model's {@code dynamicSort} lets a
 * store add keys that are not plain columns, such as the run store's metric value joined from
 * {@code run_metrics} (its statement selects it under the name the key's expression renders).
 */
public record SortKey(String name, BindableColumn<?> expression, Kind kind, boolean nullable, Object argument) {

    /** Value kinds of a sort key; the page token carries the value of the last row in this kind. */
    public enum Kind { STRING, INTEGER, NUMBER }

    public SortKey {
        Objects.requireNonNull(name);
        Objects.requireNonNull(expression);
        Objects.requireNonNull(kind);
    }
}
