package kfp.store.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.mybatis.Dialect;
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
        assertThat(q.getGroups().getValuesWhere().getClause()).isEmpty();
        assertThat(q.getGroups().getValuesOrderBy()).isEqualTo("order by \"FinishedAtInSec\" DESC, \"UUID\" DESC");
        assertThat(q.getGroups().getNullsOrderBy()).isEqualTo("order by \"UUID\" DESC");

        ListQuery afterValue = h2.query(ListModels.RUNS,
                ListOptions.firstPage(2).withPageToken(q.tokenAfter(new PageRow("id-2", 7L))), Scope.NONE);
        assertThat(afterValue.getPageWhere().getClause()).isEqualTo("where \"FinishedAtInSec\" <= #{q.pageWhere.parameters.p1}"
                + " and (\"FinishedAtInSec\" < #{q.pageWhere.parameters.p2} or \"UUID\" < #{q.pageWhere.parameters.p3})"
                + " or \"FinishedAtInSec\" is null");
        assertThat(afterValue.getGroups().hasValueRows()).isTrue();
        assertThat(afterValue.getGroups().getValuesWhere().getClause()).isEqualTo(
                "where \"FinishedAtInSec\" <= #{q.groups.valuesWhere.parameters.p1}"
                + " and (\"FinishedAtInSec\" < #{q.groups.valuesWhere.parameters.p2} or \"UUID\" < #{q.groups.valuesWhere.parameters.p3})");
        assertThat(afterValue.getGroups().getNullsWhere().getClause()).isEmpty(); // the NULL group from its start

        ListQuery inNulls = h2.query(ListModels.RUNS,
                ListOptions.firstPage(2).withPageToken(q.tokenAfter(new PageRow("id-5", null))), Scope.NONE);
        assertThat(inNulls.getPageWhere().getClause()).isEqualTo("where \"FinishedAtInSec\" is null"
                + " and \"UUID\" < #{q.pageWhere.parameters.p1}");
        assertThat(inNulls.getGroups().hasValueRows()).isFalse();
        assertThat(inNulls.getGroups().getNullsWhere().getClause()).isEqualTo("where \"UUID\" < #{q.groups.nullsWhere.parameters.p1}");
        assertThat(inNulls.getGroups().getNullsWhere().getParameters()).containsEntry("p1", "id-5");
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
        List<PageToken> hostile = List.of(
                new PageToken("experiments", scope, "name\"; DROP TABLE experiments; --", false, Filter.EMPTY.toJson(), "k", f.textNode("a")),
                new PageToken("experiments", scope, "name", false,
                        Filter.parse("{\"predicates\":[{\"key\":\"Name\\\" OR 1=1\",\"op\":\"EQUALS\",\"string_value\":\"x\"}]}").toJson(),
                        "k", f.textNode("a")),
                new PageToken("experiments", scope, "created_at", false, Filter.EMPTY.toJson(), "k", f.textNode("1 OR 1=1")),
                new PageToken("experiments", scope, "created_at", false, Filter.EMPTY.toJson(), "k", f.nullNode()));
        PageToken fine = new PageToken("experiments", scope, "created_at", false, Filter.EMPTY.toJson(), "k", f.numberNode(1L));
        assertThat(h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(fine.encode()), Scope.NONE)
                .getPageWhere().getParameters()).containsEntry("p3", "k");
        for (PageToken t : hostile) {
            assertThatThrownBy(() -> h2.query(ListModels.EXPERIMENTS, ListOptions.firstPage(2).withPageToken(t.encode()), Scope.NONE))
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
}
