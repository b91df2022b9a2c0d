package kfp.store.mybatis.dynamic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import kfp.store.api.InternalException;
import kfp.store.api.ListResult;
import kfp.store.list.Filter;
import kfp.store.list.PageToken;
import kfp.store.list.SortKey;

/**
 * One prepared list request, handed to the store's XML statements as the parameter {@code q}:
 *
 * <pre>{@code
 * <select id="selectExperimentPage" resultType="kfp.store.mybatis.dynamic.PageRow">
 *   SELECT "UUID" AS "pageKey",
 *          ${q.sortExpression} AS "pageSort"
 *     FROM experiments
 *   ${q.pageWhere.clause}
 *   ${q.orderBy}
 *    LIMIT #{q.limit}
 * </select>
 * <select id="countExperiments" resultType="long">
 *   SELECT COUNT(*)
 *     FROM experiments
 *   ${q.countWhere.clause}
 * </select>
 * }</pre>
 *
 * <p>{@code pageWhere} = scope AND filter AND cursor; {@code countWhere} = scope AND filter;
 * {@code orderBy} = {@code order by [(S IS NULL),] S dir, key dir}; {@code limit} = page size + 1.
 * A statement that writes its scope itself ({@link Scope#writtenBy}: the run and recurring-run
 * lists) reads the values as {@code q.scope} and takes only the caller's part rendered, each as
 * one more term of its own {@code <where>}: {@code ${q.filterWhere.term}}, {@code ${q.cursorWhere.term}}:
 *
 * <pre>{@code
 * <select id="selectJobPage" resultType="kfp.store.mybatis.dynamic.PageRow">
 *   SELECT "UUID" AS "pageKey",
 *          ${q.sortExpression} AS "pageSort"
 *     FROM jobs
 *   <where>
 *     <if test="q.scope.namespace != null">AND "Namespace" = #{q.scope.namespace}</if>
 *     ${q.filterWhere.term}
 *     ${q.cursorWhere.term}
 *   </where>
 *   ${q.orderBy}
 *    LIMIT #{q.limit}
 * </select>
 * }</pre>
 *
 * All text is rendered by MyBatis Dynamic SQL from allow-listed columns; every value is a bind.
 * {@link #getSortArgument()} is the argument of a dynamic sort (the metric name) for statements
 * that need to bind it themselves.
 *
 * <p>{@link #execute} runs the page, count and detail statements and assembles the result; call
 * it inside a {@code @Transactional(isolation = REPEATABLE_READ)} store method so the page and
 * total_size come from one snapshot.
 */
public final class ListQuery {

    private final ListModel model;
    private final int pageSize;
    private final SortKey sortKey;
    private final boolean desc;
    private final Filter filter;
    private final String scopeDigest;
    private final ContextScope scope;
    private final RenderedWhere pageWhere;
    private final RenderedWhere countWhere;
    private final RenderedWhere filterWhere;
    private final RenderedWhere cursorWhere;
    private final String orderBy;
    private final String sortExpression;
    private final Supplier<Groups> groupsRenderer;
    private Groups groups;

    ListQuery(ListModel model, int pageSize, SortKey sortKey, boolean desc, Filter filter, String scopeDigest,
            ContextScope scope, RenderedWhere pageWhere, RenderedWhere countWhere, RenderedWhere filterWhere,
            RenderedWhere cursorWhere, String orderBy, String sortExpression, Supplier<Groups> groupsRenderer) {
        this.model = model;
        this.pageSize = pageSize;
        this.sortKey = sortKey;
        this.desc = desc;
        this.filter = filter;
        this.scopeDigest = scopeDigest;
        this.scope = scope;
        this.pageWhere = pageWhere;
        this.countWhere = countWhere;
        this.filterWhere = filterWhere;
        this.cursorWhere = cursorWhere;
        this.orderBy = orderBy;
        this.sortExpression = sortExpression;
        this.groupsRenderer = groupsRenderer;
    }

    /**
     * A nullable sort key's list as its two groups, each with its own cursor and ORDER BY (null
     * for a key that is not nullable). The list is the value group's rows in
     * {@code valuesOrderBy}, then the NULL group's in {@code nullsOrderBy}: a statement that can
     * find each group by index reads the first, and the second only when the page is not full
     * yet. {@code valuesCursor} is the cursor among values, for rows whose value the statement
     * knows to be non-NULL; {@code nullsCursor} the cursor within the NULL group, for rows whose
     * value it knows to be NULL (the statement states that condition itself, and the scope and
     * {@link #getFilterWhere() filter}). When the cursor is already in the NULL group,
     * {@code hasValueRows} is false and no row with a value may follow.
     */
    public record Groups(boolean hasValueRows, RenderedWhere valuesCursor, String valuesOrderBy,
            RenderedWhere nullsCursor, String nullsOrderBy) {

        public RenderedWhere getValuesCursor() {
            return valuesCursor;
        }

        public String getValuesOrderBy() {
            return valuesOrderBy;
        }

        public RenderedWhere getNullsCursor() {
            return nullsCursor;
        }

        public String getNullsOrderBy() {
            return nullsOrderBy;
        }
    }

    /** The two groups of a nullable sort key (see {@link Groups}); null when the key is not nullable. */
    public Groups getGroups() {
        if (groups == null && groupsRenderer != null) {
            groups = groupsRenderer.get(); // a ListQuery serves one request on one thread
        }
        return groups;
    }

    /** Scope AND filter AND cursor, for a statement that does not write its scope. */
    public RenderedWhere getPageWhere() {
        return rendered(pageWhere, "its statement writes the scope: use filterWhere and cursorWhere");
    }

    /** Scope AND filter, for a statement that does not write its scope. */
    public RenderedWhere getCountWhere() {
        return rendered(countWhere, "its statement writes the scope: use filterWhere");
    }

    /**
     * The caller's filter alone (no scope, no cursor), for a statement that writes its scope
     * itself and places the filter where it reads the table: {@code ${q.filterWhere.term}}.
     */
    public RenderedWhere getFilterWhere() {
        return rendered(filterWhere, "its scope is rendered: use pageWhere and countWhere");
    }

    /** The cursor alone: after the previous page's last row ({@code ${q.cursorWhere.term}}; empty on page one). */
    public RenderedWhere getCursorWhere() {
        return rendered(cursorWhere, "its scope is rendered: use pageWhere");
    }

    private RenderedWhere rendered(RenderedWhere where, String otherwise) {
        if (where == null) {
            throw new IllegalStateException("list of " + model.name() + ": " + otherwise);
        }
        return where;
    }

    /** The values of a scope the statement writes itself ({@link Scope#writtenBy}); none set otherwise. */
    public ContextScope getScope() {
        return scope != null ? scope : ContextScope.NONE;
    }

    public String getOrderBy() {
        return orderBy;
    }

    /** The sort key's SQL expression, for the page statement's select list ({@code AS "pageSort"}). */
    public String getSortExpression() {
        return sortExpression;
    }

    /** Page size + 1: the extra row tells whether another page follows. */
    public int getLimit() {
        return pageSize + 1;
    }

    public int getPageSize() {
        return pageSize;
    }

    /** The dynamic sort's argument (e.g. the metric name of {@code metric:<name>}), or null. */
    public Object getSortArgument() {
        return sortKey.argument();
    }

    public SortKey sortKey() {
        return sortKey;
    }

    public boolean isDescending() {
        return desc;
    }

    public Filter filter() {
        return filter;
    }

    /**
     * Runs the list: {@code page} (page-size + 1 {@link PageRow}s), {@code count} (total_size),
     * then {@code load} with the page's keys (the wide columns and child rows of those rows only;
     * not called for an empty page), and returns the loaded items in page order.
     */
    public <T> ListResult<T> execute(Function<ListQuery, List<PageRow>> page, ToLongFunction<ListQuery> count,
            Function<List<String>, List<T>> load, Function<T, String> keyOf) {
        List<PageRow> rows = page.apply(this);
        String next = "";
        if (rows.size() > pageSize) {
            rows = rows.subList(0, pageSize);
            next = tokenAfter(rows.get(pageSize - 1));
        }
        long total = count.applyAsLong(this);
        List<String> keys = rows.stream().map(PageRow::getPageKey).toList();
        List<T> items = new ArrayList<>(keys.size());
        if (!keys.isEmpty()) {
            Map<String, T> byKey = new HashMap<>();
            for (T item : load.apply(keys)) {
                byKey.put(keyOf.apply(item), item);
            }
            for (String k : keys) {
                T item = byKey.get(k);
                if (item != null) { // deleted between the two reads cannot happen in one snapshot; be safe
                    items.add(item);
                }
            }
        }
        return new ListResult<>(items, (int) Math.min(total, Integer.MAX_VALUE), next);
    }

    /** The token of the page that follows {@code last}. */
    public String tokenAfter(PageRow last) {
        if (last.getPageKey() == null) {
            throw new InternalException("the page statement of " + model.name() + " returned no \"pageKey\"", null);
        }
        return PageToken.after(model.name(), scopeDigest, sortKey, desc, filter, last.getPageKey(), last.getPageSort())
                .encode();
    }
}
