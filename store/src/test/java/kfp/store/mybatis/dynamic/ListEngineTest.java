package kfp.store.mybatis.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.dialect.Dialect;
import kfp.store.list.Filter;
import kfp.store.list.SignedTokens;
import kfp.store.list.SortKey;
import org.junit.jupiter.api.Test;

/** The SQL the list engine renders and its page tokens, without a database. */
class ListEngineTest {

    private final ListEngine h2 = new ListEngine(Dialect.H2);
    private final ListEngine pg = new ListEngine(Dialect.POSTGRESQL);

    @Test
    void firstPageOrdersBySortKeyThenKeyWithoutCursor() {
        ListQuery q = pg.query(ListModels.EXPERIMENTS, ListOptions.firstPage(0).withSortBy("Name DESC"), Scope.NONE);
        assertThat(q.getOrderBy()).isEqualTo("order by \"NameLower\" COLLATE \"C\" DESC, \"UUID\" COLLATE \"C\" DESC");
        assertThat(q.getSortExpression()).isEqualTo("lower(\"Name\")");
        assertThat(q.getPageWhere().getClause()).isEmpty();
        assertThat(q.getLimit()).isEqualTo(21);
    }

    @Test
    void nullableSortsPutNullsLastAndLongTextSortsByPrefix() {
        ListQuery q = h2.query(ListModels.PIPELINE_VERSIONS, ListOptions.firstPage(500).withSortBy("description"), Scope.NONE);
        assertThat(q.getOrderBy()).isEqualTo("order by (lower(substring(\"Description\", 1, 255)) IS NULL), "
                + "lower(substring(\"Description\", 1, 255)), \"UUID\"");
        assertThat(q.getLimit()).isEqualTo(201);
    }

    @Test
    void valuesAreAlwaysBinds() {
        String evil = "x') OR 1=1 --";
        ListQuery q = h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(1).withFilter(
                "{\"predicates\":[{\"key\":\"name\",\"op\":\"EQUALS\",\"string_value\":\"" + evil.replace("'", "'") + "\"},"
                + "{\"key\":\"description\",\"op\":\"IS_SUBSTRING\",\"string_value\":\"50%\"},"
                + "{\"key\":\"namespace\",\"op\":\"IN\",\"string_values\":{\"values\":[]}}]}"), Scope.NONE);
        assertThat(q.getCountWhere().getClause()).isEqualTo("where \"NameLower\" = lower(#{q.countWhere.parameters.p1})"
                + " and lower(\"Description\") LIKE lower(#{q.countWhere.parameters.p2}) ESCAPE '!'"
                + " and 1 = #{q.countWhere.parameters.p3}");
        assertThat(q.getCountWhere().getParameters()).containsEntry("p1", evil).containsEntry("p2", "%50!%%");
    }

    /** A nullable key: the whole list's cursor keeps the NULL group; each group has its own cursor and order. */
    @Test
    void nullableKeyCursorAndItsTwoGroups() {
        ListOptions first = ListOptions.firstPage(2).withSortBy("finished_at desc");
        ListQuery q = h2.query(ListModels.RUNS, first, Scope.NONE);
        assertThat(q.getGroups().hasValueRows()).isTrue();
        assertThat(q.getGroups().getValuesCursor().getClause()).isEmpty();
        assertThat(q.getGroups().getValuesOrderBy()).isEqualTo("order by \"FinishedAtInSec\" DESC, \"UUID\" DESC");
        assertThat(q.getGroups().getNullsOrderBy()).isEqualTo("order by \"UUID\" DESC");

        ListQuery afterValue = h2.query(ListModels.RUNS,
                ListOptions.firstPage(2).withPageToken(q.tokenAfter(new PageRow("id-2", 7L))), Scope.NONE);
        assertThat(afterValue.getPageWhere().getClause()).isEqualTo("where \"FinishedAtInSec\" <= #{q.pageWhere.parameters.p1}"
                + " and (\"FinishedAtInSec\" < #{q.pageWhere.parameters.p2} or \"UUID\" < #{q.pageWhere.parameters.p3})"
                + " or \"FinishedAtInSec\" is null");
        assertThat(afterValue.getGroups().hasValueRows()).isTrue();
        assertThat(afterValue.getGroups().getValuesCursor().getTerm()).isEqualTo(
                "AND (\"FinishedAtInSec\" <= #{q.groups.valuesCursor.parameters.p1}"
                + " and (\"FinishedAtInSec\" < #{q.groups.valuesCursor.parameters.p2} or \"UUID\" < #{q.groups.valuesCursor.parameters.p3}))");
        assertThat(afterValue.getGroups().getNullsCursor().getTerm()).isEmpty(); // the NULL group from its start

        ListQuery inNulls = h2.query(ListModels.RUNS,
                ListOptions.firstPage(2).withPageToken(q.tokenAfter(new PageRow("id-5", null))), Scope.NONE);
        assertThat(inNulls.getPageWhere().getClause()).isEqualTo("where \"FinishedAtInSec\" is null"
                + " and \"UUID\" < #{q.pageWhere.parameters.p1}");
        assertThat(inNulls.getGroups().hasValueRows()).isFalse();
        assertThat(inNulls.getGroups().getNullsCursor().getTerm()).isEqualTo("AND (\"UUID\" < #{q.groups.nullsCursor.parameters.p1})");
        assertThat(inNulls.getGroups().getNullsCursor().getParameters()).containsEntry("p1", "id-5");
    }

    @Test
    void tokenContinuesAfterTheLastRowAndRejectsTampering() {
        ListQuery first = h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withSortBy("created_at desc"), Scope.NONE);
        String token = first.tokenAfter(new PageRow("id-2", 7L));
        ListQuery next = h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(token), Scope.NONE);
        // S <= v first: a range on the sort column, so an index scan starts at the cursor
        assertThat(next.getPageWhere().getClause()).isEqualTo("where \"CreatedAtInSec\" <= #{q.pageWhere.parameters.p1}"
                + " and (\"CreatedAtInSec\" < #{q.pageWhere.parameters.p2} or \"UUID\" < #{q.pageWhere.parameters.p3})");
        assertThat(next.getPageWhere().getParameters()).containsEntry("p1", 7L).containsEntry("p2", 7L)
                .containsEntry("p3", "id-2");
        assertThat(next.getGroups()).isNull(); // not nullable: one group
        assertThat(next.isDescending()).isTrue();

        String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                json.replace("\"k\":\"id-2\"", "\"k\":\"id-9\"").getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of(forged, token.substring(0, token.length() - 4), "%%%", "")) {
            if (bad.isEmpty()) {
                continue;
            }
            assertThatThrownBy(() -> h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(bad), Scope.NONE))
                    .isInstanceOf(InvalidArgumentException.class).hasMessage("Invalid page token");
        }
        // a token of another resource, or with another sort or filter, does not continue this list
        assertThatThrownBy(() -> h2.query(ListModels.PIPELINES, ListOptions.firstPage(2).withPageToken(token), Scope.NONE))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(token)
                .withSortBy("created_at"), Scope.NONE)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(token)
                .withFilter("{\"predicates\":[{\"key\":\"name\",\"op\":\"EQUALS\",\"string_value\":\"x\"}]}"), Scope.NONE))
                .isInstanceOf(InvalidArgumentException.class);
        // the same sort spelled differently matches
        assertThat(h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(token)
                .withSortBy("CREATED_AT  desc"), Scope.NONE).isDescending()).isTrue();
    }

    /** A token with a valid check sum but hostile content still only names fields through the map. */
    @Test
    void signedTokensWithHostileContentAreRejected() {
        String scope = pageScopeDigest();
        com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        List<String> hostile = List.of(
                SignedTokens.sign("experiments", scope, "name\"; DROP TABLE experiments; --", false, Filter.EMPTY.toJson(), "k", f.textNode("a")),
                SignedTokens.sign("experiments", scope, "name", false,
                        Filter.parse("{\"predicates\":[{\"key\":\"Name\\\" OR 1=1\",\"op\":\"EQUALS\",\"string_value\":\"x\"}]}").toJson(),
                        "k", f.textNode("a")),
                SignedTokens.sign("experiments", scope, "created_at", false, Filter.EMPTY.toJson(), "k", f.textNode("1 OR 1=1")),
                SignedTokens.sign("experiments", scope, "created_at", false, Filter.EMPTY.toJson(), "k", f.nullNode()));
        String fine = SignedTokens.sign("experiments", scope, "created_at", false, Filter.EMPTY.toJson(), "k", f.numberNode(1L));
        assertThat(h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(fine), Scope.NONE)
                .getPageWhere().getParameters()).containsEntry("p3", "k");
        for (String t : hostile) {
            assertThatThrownBy(() -> h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(t), Scope.NONE))
                    .isInstanceOf(InvalidArgumentException.class);
        }
    }

    private String pageScopeDigest() {
        String token = h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(1), Scope.NONE).tokenAfter(new PageRow("k", 1L));
        String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        return json.replaceAll("(?s).*\"x\":\"([0-9a-f]+)\".*", "$1");
    }

    @Test
    void dynamicSortsPlugIn() {
        ListModel runs = ListModels.RUNS.toBuilder()
                .dynamicSort("metric:", name -> new SortKey("metric:" + name,
                        org.mybatis.dynamic.sql.SqlTable.of("page").column("\"sort_metric_value\""),
                        SortKey.Kind.NUMBER, true, name))
                .build();
        ListQuery q = h2.query(runs, ListOptions.firstPage(1).withSortBy("metric:Log-Loss desc"), Scope.NONE);
        assertThat(q.getSortArgument()).isEqualTo("Log-Loss");
        assertThat(q.getOrderBy()).isEqualTo("order by (\"sort_metric_value\" IS NULL), \"sort_metric_value\" DESC, \"UUID\" DESC");
        String token = q.tokenAfter(new PageRow("r1", null));
        ListQuery next = h2.query(runs, ListOptions.firstPage(1).withPageToken(token), Scope.NONE);
        assertThat(next.getSortArgument()).isEqualTo("Log-Loss");
        assertThat(next.getPageWhere().getClause())
                .isEqualTo("where \"sort_metric_value\" is null and \"UUID\" < #{q.pageWhere.parameters.p1}");
    }

    /**
     * A statement that writes its scope takes the caller's filter and the cursor apart, each one
     * parenthesised term (a lone OR group keeps its meaning after the statement's own AND).
     */
    @Test
    void filterAndCursorApartForAStatementThatWritesItsScope() {
        Scope scope = Scope.writtenBy(ContextScope.of(kfp.store.api.FilterContext.of(kfp.store.api.ResourceType.EXPERIMENT, "e1")));
        ListOptions first = ListOptions.firstPage(2).withSortBy("finished_at").withFilter(
                "{\"predicates\":[{\"key\":\"storage_state\",\"op\":\"NOT_EQUALS\",\"string_value\":\"ARCHIVED\"}]}");
        ListQuery q = h2.query(ListModels.RUNS, first, scope);
        assertThat(q.getScope()).isEqualTo(new ContextScope("e1", null, null, null));
        assertThat(q.getFilterWhere().getTerm()).isEqualTo("AND (\"StorageState\" <> #{q.filterWhere.parameters.p1})");
        assertThat(q.getCursorWhere().getTerm()).isEmpty();
        ListQuery next = h2.query(ListModels.RUNS, ListOptions.firstPage(2).withPageToken(q.tokenAfter(new PageRow("r2", 7L))), scope);
        assertThat(next.getCursorWhere().getTerm()).isEqualTo("AND (\"FinishedAtInSec\" >= #{q.cursorWhere.parameters.p1}"
                + " and (\"FinishedAtInSec\" > #{q.cursorWhere.parameters.p2} or \"UUID\" > #{q.cursorWhere.parameters.p3})"
                + " or \"FinishedAtInSec\" is null)");
        assertThat(next.getFilterWhere().getParameters()).containsEntry("p1", "ARCHIVED");
        // the scope's values are part of the token: another experiment's list does not continue
        Scope other = Scope.writtenBy(ContextScope.of(kfp.store.api.FilterContext.of(kfp.store.api.ResourceType.EXPERIMENT, "e2")));
        assertThatThrownBy(() -> h2.query(ListModels.RUNS, ListOptions.firstPage(2).withPageToken(q.tokenAfter(new PageRow("r2", 7L))), other))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not match");
        assertThat(h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2), Scope.NONE).getScope()).isEqualTo(ContextScope.NONE);
        // a statement cannot take the part that leaves the scope out
        assertThatThrownBy(q::getPageWhere).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(q::getCountWhere).isInstanceOf(IllegalStateException.class);
        ListQuery rendered = h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2), Scope.of(kfp.store.api.FilterContext.of(
                kfp.store.api.ResourceType.NAMESPACE, "ns"), java.util.Map.of(kfp.store.api.ResourceType.NAMESPACE,
                kfp.store.mybatis.dynamic.Tables.EXPERIMENTS.namespace)));
        assertThat(rendered.getCountWhere().getClause()).startsWith("where \"Namespace\" =");
        assertThatThrownBy(rendered::getFilterWhere).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(rendered::getCursorWhere).isInstanceOf(IllegalStateException.class);
    }

    /** NaN and ±Infinity (metrics another writer stored) travel in tokens, which JSON numbers cannot carry. */
    @Test
    void nonFiniteSortValuesTravelInTokens() {
        ListModel runs = kfp.store.mybatis.MyBatisRunStore.RUNS;
        ListQuery q = h2.query(runs, ListOptions.firstPage(1).withSortBy("metric:loss"), Scope.NONE);
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.5}) {
            ListQuery next = h2.query(runs, ListOptions.firstPage(1).withPageToken(q.tokenAfter(new PageRow("r1", v))), Scope.NONE);
            assertThat(next.getCursorWhere().getParameters()).containsEntry("p1", v).containsEntry("p3", "r1");
        }
    }

    /** A filter's values are bind parameters, and databases cap those: at most 1,000, IN lists included. */
    @Test
    void aFilterHoldsAtMostAThousandValues() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < Filter.MAX_VALUES; i++) {
            values.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        }
        String in = "{\"key\":\"run_id\",\"operation\":\"IN\",\"string_values\":{\"values\":[" + values + "]}}";
        assertThat(Filter.parse("{\"predicates\":[" + in + "]}").predicates()).hasSize(1);
        assertThatThrownBy(() -> Filter.parse("{\"predicates\":[" + in
                + ",{\"key\":\"name\",\"operation\":\"EQUALS\",\"string_value\":\"x\"}]}"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Invalid filter: it holds 1001 values (IN lists included); at most 1000 are allowed");
    }

    /** U+0000 is in no stored value (PostgreSQL cannot store it): a filter holding it is the caller's mistake. */
    @Test
    void aFilterValueWithNulIsRefused() {
        for (String predicate : List.of(
                "{\"key\":\"name\",\"operation\":\"EQUALS\",\"string_value\":\"a\\u0000b\"}",
                "{\"key\":\"name\",\"operation\":\"IN\",\"string_values\":{\"values\":[\"a\",\"\\u0000\"]}}",
                "{\"key\":\"na\\u0000me\",\"operation\":\"EQUALS\",\"string_value\":\"a\"}")) {
            assertThatThrownBy(() -> Filter.parse("{\"predicates\":[" + predicate + "]}"))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("U+0000");
        }
    }

    @Test
    void substringPatternEscapesWildcards() {
        assertThat(Expressions.containsPattern("a%b_c!d")).isEqualTo("%a!%b!_c!!d%");
    }
}
