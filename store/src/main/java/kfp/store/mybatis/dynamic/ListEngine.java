package kfp.store.mybatis.dynamic;

import static org.mybatis.dynamic.sql.SqlBuilder.and;
import static org.mybatis.dynamic.sql.SqlBuilder.constant;
import static org.mybatis.dynamic.sql.SqlBuilder.group;
import static org.mybatis.dynamic.sql.SqlBuilder.isEqualTo;
import static org.mybatis.dynamic.sql.SqlBuilder.isGreaterThan;
import static org.mybatis.dynamic.sql.SqlBuilder.isGreaterThanOrEqualTo;
import static org.mybatis.dynamic.sql.SqlBuilder.isIn;
import static org.mybatis.dynamic.sql.SqlBuilder.isLessThan;
import static org.mybatis.dynamic.sql.SqlBuilder.isLessThanOrEqualTo;
import static org.mybatis.dynamic.sql.SqlBuilder.isNotEqualTo;
import static org.mybatis.dynamic.sql.SqlBuilder.isNull;
import static org.mybatis.dynamic.sql.SqlBuilder.or;
import static org.mybatis.dynamic.sql.SqlBuilder.value;
import static org.mybatis.dynamic.sql.SqlBuilder.where;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Supplier;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.dialect.Dialect;
import kfp.store.list.Field;
import kfp.store.list.Filter;
import kfp.store.list.PageToken;
import kfp.store.list.Predicate;
import kfp.store.list.SortKey;
import org.mybatis.dynamic.sql.AndOrCriteriaGroup;
import org.mybatis.dynamic.sql.BindableColumn;
import org.mybatis.dynamic.sql.SortSpecification;
import org.mybatis.dynamic.sql.common.OrderByModel;
import org.mybatis.dynamic.sql.common.OrderByRenderer;
import org.mybatis.dynamic.sql.configuration.StatementConfiguration;
import org.mybatis.dynamic.sql.render.RenderingContext;
import org.mybatis.dynamic.sql.render.RenderingStrategies;
import org.mybatis.dynamic.sql.render.TableAliasCalculator;
import org.mybatis.dynamic.sql.select.function.Lower;
import org.mybatis.dynamic.sql.select.function.Substring;
import org.mybatis.dynamic.sql.util.FragmentAndParameters;

/**
 * Turns a list request ({@link ListOptions}) into a {@link ListQuery} for one resource
 * ({@link ListModel}) within a {@link Scope}. Shared by every list method.
 *
 * <p>Usage in a store (one snapshot for the page and total_size):
 * <pre>{@code
 * @Transactional(isolation = Transactional.Isolation.REPEATABLE_READ)
 * public ListResult<Experiment> listExperiments(FilterContext context, ListOptions options) {
 *     Scope scope = Scope.of(context, Map.of(ResourceType.NAMESPACE, Tables.EXPERIMENTS.namespace));
 *     return lists.query(ListModels.EXPERIMENTS, options, scope)
 *             .execute(mapper::selectExperimentPage, mapper::countExperiments, mapper::selectExperimentsByIds, Experiment::uuid);
 * }
 * }</pre>
 *
 * <p>What it guarantees: keyset pagination (no OFFSET) ordered by the sort key then the model's key
 * in the same direction, NULLs last both ways, the same order on every page; a cursor strictly
 * after the previous page's last row; validated, opaque tokens; case-insensitive names through
 * the generated lower-case columns; escaped IS_SUBSTRING; byte-order string comparison on every
 * database.
 */
@Singleton
public final class ListEngine {

    private static final String PARAMETER = "q";

    private final Dialect dialect;

    @Inject
    public ListEngine(Dialect dialect) {
        this.dialect = dialect;
    }

    public ListQuery query(ListModel model, ListOptions options, Scope scope) {
        int pageSize = options.effectivePageSize();
        Filter filter = Filter.parse(options.filter());
        String sortName = null;
        boolean desc = false;
        if (!options.sortBy().isBlank()) {
            String[] parts = options.sortBy().trim().split("\\s+");
            String dir = parts.length == 2 ? parts[1].toLowerCase(Locale.ROOT) : "asc";
            if (parts.length > 2 || !(dir.equals("asc") || dir.equals("desc"))) {
                throw new InvalidArgumentException("Received invalid sort by format '" + options.sortBy()
                        + "'. Supported format: \"field_name\", \"field_name desc\", or \"field_name asc\"");
            }
            sortName = parts[0];
            desc = dir.equals("desc");
        }
        SortKey sortKey = sortName == null ? sortKey(model, model.defaultSort()) : sortKey(model, sortName);
        String scopeDigest = digest(render(scope.criteria, "scope"), scope.values);

        Object cursorValue = null;
        String cursorKey = null;
        if (!options.pageToken().isBlank()) {
            PageToken token = PageToken.decode(options.pageToken());
            if (!token.model().equals(model.name()) || !token.scope().equals(scopeDigest)) {
                throw mismatch();
            }
            SortKey tokenSort = sortKey(model, token.sort());
            Filter tokenFilter = token.filter();
            if ((sortName != null && (!tokenSort.name().equals(sortKey.name()) || token.desc() != desc))
                    || (!filter.isEmpty() && !filter.equals(tokenFilter))) {
                throw mismatch();
            }
            sortKey = tokenSort;
            desc = token.desc();
            filter = tokenFilter;
            cursorKey = token.key();
            cursorValue = token.sortValue(sortKey);
        }

        List<AndOrCriteriaGroup> filterCriteria = new ArrayList<>();
        for (Predicate p : filter.predicates()) {
            filterCriteria.add(criterion(model, p));
        }
        List<AndOrCriteriaGroup> base = new ArrayList<>(scope.criteria);
        base.addAll(filterCriteria);
        List<AndOrCriteriaGroup> page = new ArrayList<>(base);
        BindableColumn<Object> s = cast(sortKey.expression());
        BindableColumn<Object> k = cast(Expressions.byteOrder(dialect, model.key()));
        List<AndOrCriteriaGroup> cursor = new ArrayList<>();
        if (cursorKey != null) {
            cursor.add(cursor(s, k, sortKey.nullable(), desc, cursorValue, cursorKey));
            page.addAll(cursor);
        }
        String sortSql = fragment(s);
        String keySql = fragment(k);
        String selectSql = fragment(readableValue(model, sortKey));
        List<SortSpecification> order = new ArrayList<>();
        if (sortKey.nullable()) {
            order.add(new Sort("(" + sortSql + " IS NULL)", false));
        }
        order.add(new Sort(sortSql, desc));
        order.add(new Sort(keySql, desc));
        // Rendered only for a statement that reads them (the run store's metric walk), not for every list.
        Supplier<ListQuery.Groups> groups = null;
        if (sortKey.nullable()) {
            boolean descending = desc;
            String afterKey = cursorKey;
            Object afterValue = cursorValue;
            groups = () -> groups(s, k, descending, afterKey, afterValue, sortSql, keySql);
        }
        // only the parts that hold the whole scope: a statement cannot leave a scope out by mistake
        boolean written = scope.values != null;
        boolean rendered = !scope.criteria.isEmpty();
        return new ListQuery(model, pageSize, sortKey, desc, filter, scopeDigest, scope.values,
                written ? null : render(page, PARAMETER + ".pageWhere"),
                written ? null : render(base, PARAMETER + ".countWhere"),
                rendered ? null : render(filterCriteria, PARAMETER + ".filterWhere"),
                rendered ? null : render(cursor, PARAMETER + ".cursorWhere"),
                orderBy(order), selectSql, groups);
    }

    /**
     * A nullable key's list read as its two groups, for statements that can find each group by
     * index (the run store's metric sort): the rows with a value, in (value, key) order, and
     * after them the NULL group in key order. Each group has only its own part of the cursor, and
     * its ORDER BY has no {@code (S IS NULL)} term, so both can be an index order.
     */
    private ListQuery.Groups groups(BindableColumn<Object> s, BindableColumn<Object> k,
            boolean desc, String cursorKey, Object cursorValue, String sortSql, String keySql) {
        boolean inNullGroup = cursorKey != null && cursorValue == null;
        List<AndOrCriteriaGroup> values = new ArrayList<>();
        List<AndOrCriteriaGroup> nulls = new ArrayList<>();
        if (cursorKey != null && !inNullGroup) {
            values.add(cursor(s, k, false, desc, cursorValue, cursorKey));
        }
        if (inNullGroup) {
            nulls.add(and(k, desc ? isLessThan(cursorKey) : isGreaterThan(cursorKey)));
        }
        return new ListQuery.Groups(!inNullGroup,
                render(values, PARAMETER + ".groups.valuesCursor"),
                orderBy(List.of(new Sort(sortSql, desc), new Sort(keySql, desc))),
                render(nulls, PARAMETER + ".groups.nullsCursor"),
                orderBy(List.of(new Sort(keySql, desc))));
    }

    private static String orderBy(List<SortSpecification> order) {
        return new OrderByRenderer().render(OrderByModel.of(order)).fragment();
    }

    /** The sort key a sort name resolves to: a mapped field, or a dynamic sort of the model. */
    SortKey sortKey(ListModel model, String name) {
        Field f = model.sortField(name).orElse(null);
        if (f == null) {
            return model.dynamicSort(name).orElseThrow(() -> new InvalidArgumentException(
                    "Invalid sorting field: \"" + name + "\" on listable type " + model.name()));
        }
        BindableColumn<Object> e = cast(f.column());
        if (f.isLongText()) {
            e = Substring.of(e, 1, Field.SORT_PREFIX_CHARS);
        }
        if (f.isCaseInsensitive()) {
            e = f.lowerColumn() != null && !f.isLongText() ? cast(f.lowerColumn()) : Lower.of(e);
        }
        SortKey.Kind kind = f.kind() == Field.Kind.INTEGER ? SortKey.Kind.INTEGER : SortKey.Kind.STRING;
        if (kind == SortKey.Kind.STRING) {
            e = Expressions.byteOrder(dialect, e);
        }
        return new SortKey(f.names().get(0), e, kind, f.isNullable(), null);
    }

    /**
     * What the page statement selects as the sort value: the sort expression, except that a
     * generated lower-case column is read as {@code LOWER(column)}, the same value. MariaDB 10.11
     * returns empty strings for a virtual column read from an index-only range scan (it filters
     * and orders by it correctly), and the page token needs the value.
     */
    private static BindableColumn<?> readableValue(ListModel model, SortKey key) {
        Field f = model.sortField(key.name()).orElse(null);
        if (f != null && f.lowerColumn() != null && key.expression() != null && !f.isLongText()) {
            return Lower.of(cast(f.column()));
        }
        return key.expression();
    }

    private AndOrCriteriaGroup criterion(ListModel model, Predicate p) {
        var prefixed = model.prefixFilter(p.key());
        if (prefixed.isPresent()) {
            return prefixed.get().getValue().apply(p.key().substring(prefixed.get().getKey().length()), p);
        }
        Field f = model.field(p.key()).orElseThrow(() -> Filter.invalid(
                "no support for filtering on unrecognized field \"" + p.key() + "\""));
        Object v = p.value();
        boolean emptyList = v instanceof List<?> l && l.isEmpty();
        if (!emptyList && p.isStringValue() != (f.kind() == Field.Kind.STRING)) {
            throw Filter.invalid("\"" + p.key() + "\" takes " + (f.kind() == Field.Kind.STRING
                    ? "string values" : "int, long or timestamp values"));
        }
        BindableColumn<Object> c = cast(f.column());
        boolean ci = f.isCaseInsensitive();
        BindableColumn<Object> lower = f.lowerColumn() != null ? cast(f.lowerColumn()) : Lower.of(c);
        BindableColumn<Object> ordered = f.kind() == Field.Kind.STRING ? Expressions.byteOrder(dialect, c) : c;
        // a case-sensitive string compares byte-wise also on KFP's case-insensitive MySQL tables:
        // the plain comparison picks the candidates from the index, the byte-wise one decides
        boolean exact = f.kind() == Field.Kind.STRING && !ci && dialect == Dialect.MYSQL;
        BindableColumn<Object> bytes = Expressions.exactBytes(dialect, c);
        return switch (p.operation()) {
            case EQUALS -> ci ? and(lower, isEqualTo(Lower.of(value(v))))
                    : exact ? and(c, isEqualTo(v), and(bytes, isEqualTo(v))) : and(c, isEqualTo(v));
            case NOT_EQUALS -> ci ? and(lower, isNotEqualTo(Lower.of(value(v)))) : and(exact ? bytes : c, isNotEqualTo(v));
            case GREATER_THAN -> and(ordered, isGreaterThan(v));
            case GREATER_THAN_EQUALS -> and(ordered, isGreaterThanOrEqualTo(v));
            case LESS_THAN -> and(ordered, isLessThan(v));
            case LESS_THAN_EQUALS -> and(ordered, isLessThanOrEqualTo(v));
            case IN -> in(c, exact ? bytes : null, lower, ci, (List<?>) v);
            case IS_SUBSTRING -> and(lower, Expressions.likeLower(Expressions.containsPattern((String) v)));
        };
    }

    /** {@code bytes}: the byte-wise expression to check beside {@code c}, or null. */
    private static AndOrCriteriaGroup in(BindableColumn<Object> c, BindableColumn<Object> bytes, BindableColumn<Object> lower,
            boolean ci, List<?> values) {
        if (values.isEmpty()) {
            return and(constant("1"), isEqualTo((Object) 0)); // KFP: an empty IN matches nothing
        }
        if (!ci) {
            return bytes == null ? and(c, isIn(new ArrayList<Object>(values)))
                    : and(c, isIn(new ArrayList<Object>(values)), and(bytes, isIn(new ArrayList<Object>(values))));
        }
        List<AndOrCriteriaGroup> rest = new ArrayList<>();
        for (Object v : values.subList(1, values.size())) {
            rest.add(or(lower, isEqualTo(Lower.of(value(v)))));
        }
        return and(group(lower, isEqualTo(Lower.of(value((Object) values.get(0)))), rest));
    }

    /**
     * Rows strictly after (value, key) in the list's order; NULL sort values come after all others.
     * Written {@code S <= v AND (S < v OR k < key)} (desc; mirrored for asc), the same rows as
     * {@code S < v OR (S = v AND k < key)}: the leading {@code S <= v} is a range condition on the
     * sort column, so an index scan in list order starts at the cursor instead of reading (and
     * filtering out) every entry before it. A nullable key adds {@code OR S IS NULL}.
     */
    private static AndOrCriteriaGroup cursor(BindableColumn<Object> s, BindableColumn<Object> k, boolean nullable,
            boolean desc, Object value, String key) {
        if (value == null) {
            return and(group(s, isNull(), and(k, desc ? isLessThan(key) : isGreaterThan(key))));
        }
        List<AndOrCriteriaGroup> rest = new ArrayList<>();
        rest.add(and(group(s, desc ? isLessThan(value) : isGreaterThan(value),
                or(k, desc ? isLessThan(key) : isGreaterThan(key)))));
        if (nullable) {
            rest.add(or(s, isNull()));
        }
        return and(group(s, desc ? isLessThanOrEqualTo(value) : isGreaterThanOrEqualTo(value), rest));
    }

    private static RenderedWhere render(List<AndOrCriteriaGroup> criteria, String parameterName) {
        if (criteria.isEmpty()) {
            return RenderedWhere.NONE;
        }
        return where().and(criteria).build().render(RenderingStrategies.MYBATIS3, parameterName)
                .map(w -> new RenderedWhere(w.getWhereClause(), w.getParameters()))
                .orElse(RenderedWhere.NONE);
    }

    private static String fragment(BindableColumn<?> column) {
        RenderingContext context = RenderingContext.withRenderingStrategy(RenderingStrategies.MYBATIS3)
                .withTableAliasCalculator(TableAliasCalculator.empty())
                .withStatementConfiguration(new StatementConfiguration())
                .build();
        FragmentAndParameters f = column.render(context);
        if (!f.parameters().isEmpty()) {
            throw new IllegalArgumentException("a sort expression must not bind values: " + f.fragment());
        }
        return f.fragment();
    }

    private static String digest(RenderedWhere where, ContextScope values) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(where.getClause().getBytes(StandardCharsets.UTF_8));
            sha.update(new TreeMap<>(where.getParameters()).toString().getBytes(StandardCharsets.UTF_8));
            if (values != null) {
                sha.update(values.toString().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InvalidArgumentException mismatch() {
        return new InvalidArgumentException(
                "page token does not match the supplied sort by and/or filtering criteria");
    }

    @SuppressWarnings("unchecked")
    private static BindableColumn<Object> cast(BindableColumn<?> c) {
        return (BindableColumn<Object>) c;
    }

    /** One ORDER BY item: an expression rendered from allow-listed columns, and its direction. */
    private record Sort(String orderByName, boolean isDescending) implements SortSpecification {
        @Override
        public SortSpecification descending() {
            return new Sort(orderByName, true);
        }
    }
}
