package kfp.bench;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import kfp.server.ApiServer;
import kfp.server.config.ServerSettings;
import kfp.store.Schema;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.PipelineStore;
import kfp.store.api.ResourceType;
import kfp.store.dialect.Dialect;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;
import kfp.store.migration.SchemaMigrations;

/**
 * What the API server's REST transport adds to a list call: ListExperiments and ListPipelines
 * (v2beta1, first page of 20, default sort) over HTTP/JSON against the very store call the service
 * makes, in the same run on the same database (MariaDB and PostgreSQL, database or schema
 * {@code kfp_bench_api}: 100 experiments and 100 pipelines, seeded once through the API).
 * Single-threaded and warm: 2,000 warm-up calls of each, then the two kinds interleaved, 2,000
 * timed calls each; p50 and p99 in ms, and their differences.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests && . .ci/test-databases.env
 * java -cp "bench/target/classes:bench/target/lib/*" kfp.bench.ApiBench
 * </pre>
 */
public final class ApiBench {

    private static final int WARM_UP = 2000;
    private static final int TIMED = 2000;
    private static final int ROWS = 100;

    private ApiBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| database | call | store p50 | store p99 | REST p50 | REST p99 | REST adds p50 | REST adds p99 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String vendor : List.of("mysql", "postgresql")) {
            Bench.Server server = Bench.Server.fromEnvironment(vendor);
            if (server == null) {
                continue;
            }
            Bench.Server db = server.database("kfp_bench_api");
            try (HikariDataSource ds = db.open("bench-api")) {
                String name = Bench.productName(ds) + " " + Bench.version(ds);
                SchemaMigrations.migrate(ds, Dialect.fromProductName(Bench.productName(ds)), Schema.MLPIPELINE);
                ApiServer api = ApiServer.start(ServerSettings.of(0, 0, "bench", "bench"),
                        StoreOptions.using(ds));
                try {
                    Injector stores = Guice.createInjector(new StoreModule(StoreOptions.using(ds)));
                    measure(name, api, stores);
                } finally {
                    api.stop();
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nload average when done: %s%n", Bench.loadAverage());
    }

    private static void measure(String db, ApiServer api, Injector stores) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + api.httpPort();
        seed(http, base);
        ExperimentStore experiments = stores.getInstance(ExperimentStore.class);
        PipelineStore pipelines = stores.getInstance(PipelineStore.class);
        FilterContext shared = FilterContext.of(ResourceType.NAMESPACE, "");
        ListOptions firstPage = new ListOptions(0, "", "", "");
        HttpRequest listExperiments = HttpRequest.newBuilder(URI.create(base + "/apis/v2beta1/experiments")).build();
        HttpRequest listPipelines = HttpRequest.newBuilder(URI.create(base + "/apis/v2beta1/pipelines")).build();

        List<Bench.RoundCall> calls = List.of(
                round -> experiments.listExperiments(shared, firstPage),
                round -> Bench.get(http, listExperiments),
                round -> pipelines.listPipelines(shared, firstPage),
                round -> Bench.get(http, listPipelines));
        long[][] times = Bench.interleaved(calls, WARM_UP, TIMED);
        row(db, "ListExperiments (v2beta1, first 20)", times[0], times[1]);
        row(db, "ListPipelines (v2beta1, first 20)", times[2], times[3]);
    }

    private static void seed(HttpClient http, String base) throws Exception {
        String count = Bench.get(http, HttpRequest.newBuilder(URI.create(base + "/apis/v2beta1/pipelines?page_size=1")).build());
        if (count.contains("\"total_size\":" + ROWS)) {
            return;
        }
        for (int i = 0; i < ROWS; i++) {
            post(http, base + "/apis/v2beta1/experiments", "{\"display_name\":\"bench-" + i + "\",\"description\":\"seeded\"}");
            post(http, base + "/apis/v2beta1/pipelines", "{\"name\":\"bench-" + i + "\",\"description\":\"seeded\","
                    + "\"tags\":{\"team\":\"t" + (i % 5) + "\"}}");
        }
    }

    private static void row(String db, String call, long[] store, long[] rest) {
        double s50 = Bench.percentile(store, 50);
        double s99 = Bench.percentile(store, 99);
        double r50 = Bench.percentile(rest, 50);
        double r99 = Bench.percentile(rest, 99);
        System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                db, call, s50, s99, r50, r99, r50 - s50, r99 - s99);
    }

    private static void post(HttpClient http, String url, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 409) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
