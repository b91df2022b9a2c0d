package kfp.store.mybatis.dynamic;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.Relationship;
import kfp.store.api.ResourceReference;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.ResourceType;
import kfp.store.api.RunStore;
import kfp.store.list.Field;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.mybatis.dynamic.sql.SqlColumn;

/**
 * Every field of every field map (runs, recurring runs and tasks included, whose stores live
 * elsewhere) names a real column and renders SQL each database accepts: a page query sorted by
 * the field, both directions, with a cursor, filtered by EQUALS, IN, a comparison and
 * IS_SUBSTRING on it. Run here with plain JDBC, the placeholders bound in text order.
 */
@StoreTest
class FieldMapSqlTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("#\\{q\\.(\\w+)\\.parameters\\.(\\w+)}");

    @OnEachDatabase
    void everyFieldSortsAndFiltersOnEveryDatabase(TestDatabase db) throws SQLException {
        ListEngine engine = new ListEngine(db.dialect());
        for (ListModel model : List.of(ListModels.EXPERIMENTS, ListModels.PIPELINES, ListModels.PIPELINE_VERSIONS,
                ListModels.RUNS, ListModels.JOBS, ListModels.TASKS)) {
            String table = ((SqlColumn<?>) model.key()).table().tableNameAtRuntime();
            for (Map.Entry<String, Field> e : model.fields().entrySet()) {
                boolean text = e.getValue().kind() == Field.Kind.STRING;
                String v = text ? "\"string_value\":\"x%_\"" : "\"long_value\":\"1\"";
                String vs = text ? "\"string_values\":{\"values\":[\"a\",\"B\"]}" : "\"long_values\":{\"values\":[1,2]}";
                String filter = "{\"predicates\":[" + predicate(e.getKey(), "EQUALS", v) + "," + predicate(e.getKey(), "IN", vs)
                        + "," + predicate(e.getKey(), "GREATER_THAN_EQUALS", v)
                        + (text ? "," + predicate(e.getKey(), "IS_SUBSTRING", v) : "") + "]}";
                for (String dir : List.of(" asc", " desc")) {
                    ListQuery first = engine.query(model, ListOptions.firstPage(5).withSortBy(e.getKey() + dir)
                            .withFilter(filter), Scope.NONE);
                    assertThat(run(db, table, first)).isEmpty(); // empty tables: the SQL is what is checked
                    Object boundary = text ? "m" : (Object) 5L;
                    String token = first.tokenAfter(new PageRow("k", e.getValue().isNullable() && dir.contains("desc") ? null : boundary));
                    assertThat(run(db, table, engine.query(model, ListOptions.firstPage(5).withPageToken(token), Scope.NONE))).isEmpty();
                }
            }
        }
    }

    private static String predicate(String key, String op, String value) {
        return "{\"key\":\"" + key + "\",\"operation\":\"" + op + "\"," + value + "}";
    }

    /**
     * The filter context of runs, written by RunMapper.xml's runScope: experiment and namespace by
     * column, anything else by reference, with the caller's filter and a page token after it.
     */
    @OnEachDatabase
    void runScopesByColumnOrByReference(ResourceReferenceStore refs, ExperimentStore experiments, RunStore store,
            TestDatabase db) {
        String e1 = experiments.createExperiment(kfp.store.api.Experiment.newExperiment("e1", "", "")).uuid();
        kfp.store.mybatis.ExperimentStoreTest.insertJob(db, "job1", e1);
        for (String run : List.of("r1", "r2", "r3")) {
            kfp.store.mybatis.ExperimentStoreTest.insertRun(db, run, run.equals("r3") ? "other" : e1, "AVAILABLE");
            refs.createResourceReferences(List.of(ResourceReference.of(run, ResourceType.RUN, run.equals("r1") ? "ns" : "",
                    ResourceType.NAMESPACE, Relationship.OWNER)));
        }
        refs.createResourceReferences(List.of(
                ResourceReference.of("r2", ResourceType.RUN, "job1", ResourceType.JOB, Relationship.CREATOR),
                ResourceReference.of("r3", ResourceType.RUN, "job1", ResourceType.JOB, Relationship.CREATOR)));
        db.update("UPDATE run_details SET \"Namespace\" = 'ns' WHERE \"UUID\" = 'r1'");
        ListOptions byId = ListOptions.firstPage(10).withSortBy("id");
        assertThat(ids(store, FilterContext.of(ResourceType.EXPERIMENT, e1), byId)).containsExactly("r1", "r2");
        assertThat(ids(store, FilterContext.of(ResourceType.NAMESPACE, "ns"), byId)).containsExactly("r1");
        assertThat(ids(store, FilterContext.of(ResourceType.JOB, "job1"), byId.withSortBy("id desc"))).containsExactly("r3", "r2");
        assertThat(ids(store, FilterContext.of(ResourceType.RECURRING_RUN, "job1"), byId)).containsExactly("r2", "r3");
        assertThat(ids(store, FilterContext.NONE, byId)).containsExactly("r1", "r2", "r3");
        // the scope, the caller's filter and the cursor together, page by page
        ListOptions onePage = ListOptions.firstPage(1).withSortBy("id desc").withFilter(
                "{\"predicates\":[{\"key\":\"run_id\",\"operation\":\"NOT_EQUALS\",\"string_value\":\"r9\"}]}");
        kfp.store.api.ListResult<kfp.store.api.Run> first = store.listRuns(FilterContext.of(ResourceType.JOB, "job1"), onePage);
        assertThat(first.items()).extracting(r -> r.uuid).containsExactly("r3");
        assertThat(first.totalSize()).isEqualTo(2);
        assertThat(store.listRuns(FilterContext.of(ResourceType.JOB, "job1"), ListOptions.firstPage(1)
                .withPageToken(first.nextPageToken())).items()).extracting(r -> r.uuid).containsExactly("r2");
    }

    private static List<String> ids(RunStore store, FilterContext context, ListOptions options) {
        return store.listRuns(context, options).items().stream().map(r -> r.uuid).toList();
    }

    private static List<String> run(TestDatabase db, String table, ListQuery q) throws SQLException {
        String where = q.getPageWhere().getClause();
        List<Object> args = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(where);
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            args.add(q.getPageWhere().getParameters().get(m.group(2)));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        String statement = "SELECT \"UUID\", " + q.getSortExpression() + " FROM " + table + " " + sql + " "
                + q.getOrderBy() + " LIMIT " + q.getLimit();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        }
    }
}
