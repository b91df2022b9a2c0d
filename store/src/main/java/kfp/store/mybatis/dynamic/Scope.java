package kfp.store.mybatis.dynamic;

import static org.mybatis.dynamic.sql.SqlBuilder.isEqualTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.store.api.FilterContext;
import kfp.store.api.ResourceType;
import org.mybatis.dynamic.sql.AndOrCriteriaGroup;
import org.mybatis.dynamic.sql.BindableColumn;
import org.mybatis.dynamic.sql.SqlBuilder;

/**
 * The fixed part of a list's WHERE, before the caller's filter: the filter context (namespace,
 * experiment, any resource reference) and a store's own conditions (e.g. {@code Status = 'READY'}).
 * It applies to the page and to total_size alike, and a page token only continues the list it
 * came from (the engine compares the scope's digest).
 *
 * <p>Either rendered here from criteria (statements read it in {@code pageWhere} and
 * {@code countWhere}), or {@linkplain #writtenBy written by the statement} from a filter
 * context's values, so the XML shows the tables' scope predicates (runs, recurring runs).
 */
public final class Scope {

    public static final Scope NONE = new Scope(List.of(), null);

    final List<AndOrCriteriaGroup> criteria;
    /** The values a statement writes its scope from ({@code q.scope}), or null. */
    final ContextScope values;

    private Scope(List<AndOrCriteriaGroup> criteria, ContextScope values) {
        this.criteria = List.copyOf(criteria);
        this.values = values;
    }

    /**
     * A scope the list's statements write themselves from {@code values} ({@code q.scope} in the
     * XML); the engine renders only the caller's filter, sort and cursor.
     */
    public static Scope writtenBy(ContextScope values) {
        return new Scope(List.of(), values);
    }

    /** A scope of MyBatis Dynamic SQL criteria, e.g. {@code and(table.status, isEqualTo("READY"))}. */
    public static Scope of(AndOrCriteriaGroup... criteria) {
        return new Scope(List.of(criteria), null);
    }

    public Scope and(AndOrCriteriaGroup... more) {
        return and(Scope.of(more));
    }

    /** Both scopes' criteria (a scope the statement writes does not combine: its XML has the whole scope). */
    public Scope and(Scope more) {
        if (values != null || more.values != null) {
            throw new IllegalArgumentException("a scope written by the statement does not combine with criteria");
        }
        List<AndOrCriteriaGroup> all = new ArrayList<>(criteria);
        all.addAll(more.criteria);
        return new Scope(all, null);
    }

    /**
     * The scope of a filter context: a reference to a type in {@code direct} compares that column
     * (e.g. Namespace → {@code "Namespace" = id}, Experiment → {@code "ExperimentUUID" = id});
     * any other reference is ignored (experiments and pipelines, as in KFP).
     */
    public static Scope of(FilterContext context, Map<ResourceType, BindableColumn<String>> direct) {
        return context.key()
                .filter(k -> direct.containsKey(k.type()))
                .map(k -> Scope.of(SqlBuilder.and(direct.get(k.type()), isEqualTo(k.id()))))
                .orElse(NONE);
    }
}
