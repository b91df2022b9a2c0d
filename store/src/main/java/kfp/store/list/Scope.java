package kfp.store.list;

import static org.mybatis.dynamic.sql.SqlBuilder.isEqualTo;
import static org.mybatis.dynamic.sql.SqlBuilder.isIn;
import static org.mybatis.dynamic.sql.SqlBuilder.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.store.api.FilterContext;
import kfp.store.api.ReferenceKey;
import kfp.store.api.ResourceType;
import kfp.store.mybatis.dynamic.Tables;
import org.mybatis.dynamic.sql.AndOrCriteriaGroup;
import org.mybatis.dynamic.sql.BindableColumn;
import org.mybatis.dynamic.sql.SqlBuilder;

/**
 * The fixed part of a list's WHERE, before the caller's filter: the filter context (namespace,
 * experiment, any resource reference) and a store's own conditions (e.g. {@code Status = 'READY'}).
 * It applies to the page and to total_size alike, and a page token only continues the list it
 * came from (the engine compares the rendered scope).
 */
public final class Scope {

    public static final Scope NONE = new Scope(List.of());

    final List<AndOrCriteriaGroup> criteria;

    private Scope(List<AndOrCriteriaGroup> criteria) {
        this.criteria = List.copyOf(criteria);
    }

    /** A scope of MyBatis Dynamic SQL criteria, e.g. {@code and(table.status, isEqualTo("READY"))}. */
    public static Scope of(AndOrCriteriaGroup... criteria) {
        return new Scope(List.of(criteria));
    }

    public Scope and(AndOrCriteriaGroup... more) {
        List<AndOrCriteriaGroup> all = new ArrayList<>(criteria);
        all.addAll(List.of(more));
        return new Scope(all);
    }

    public Scope and(Scope more) {
        List<AndOrCriteriaGroup> all = new ArrayList<>(criteria);
        all.addAll(more.criteria);
        return new Scope(all);
    }

    /**
     * {@code key IN (SELECT ResourceUUID FROM resource_references WHERE ResourceType = listed AND
     * ReferenceUUID = id AND ReferenceType = type)}: the rows of type {@code listed} that reference
     * {@code ref} (spec §3.1 case 3, §4.7), served by KFP's {@code referencefilter} index.
     */
    public static AndOrCriteriaGroup referencing(BindableColumn<String> key, ResourceType listed, ReferenceKey ref) {
        Tables.ResourceReferences rr = Tables.RESOURCE_REFERENCES;
        return SqlBuilder.and(key, isIn(select(rr.resourceUuid).from(rr)
                .where(rr.resourceType, isEqualTo(listed.stored()))
                .and(rr.referenceUuid, isEqualTo(ref.id()))
                .and(rr.referenceType, isEqualTo(ref.type().stored()))));
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

    /**
     * As {@link #of(FilterContext, Map)}, but any other reference becomes the
     * {@link #referencing resource-reference sub-query} on {@code key} (runs, jobs).
     */
    public static Scope of(FilterContext context, Map<ResourceType, BindableColumn<String>> direct,
            BindableColumn<String> key, ResourceType listed) {
        return context.key()
                .map(k -> direct.containsKey(k.type())
                        ? Scope.of(SqlBuilder.and(direct.get(k.type()), isEqualTo(k.id())))
                        : Scope.of(referencing(key, listed, k)))
                .orElse(NONE);
    }
}
