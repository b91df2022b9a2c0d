package kfp.bench;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import kfp.server.ApiServer;
import kfp.server.config.ServerSettings;
import kfp.server.proto.v2beta1.GetRunRequest;
import kfp.server.proto.v2beta1.ListRunsRequest;
import kfp.server.proto.v2beta1.ListRunsResponse;
import kfp.server.proto.v2beta1.RunServiceGrpc.RunServiceBlockingStub;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;

/**
 * What the API server's transports add to ListRuns and GetRun over a {@link RunsBench} data set
 * (seeded beforehand by {@code RunsBench seed}; the server is started on it and seeds nothing):
 * RunsBench's UI default ListRuns through the store, over REST ({@code GET /apis/v2beta1/runs})
 * and over gRPC ({@code v2beta1 RunService/ListRuns}); GetRun of the data set's runs through the
 * store, over REST and gRPC in v2beta1, and in v1beta1 (its {@code RunDetail} carries the run's
 * manifests, which v2beta1 leaves out when the run names a pipeline version). Single-threaded and
 * warm, the calls of a kind interleaved (each round makes every call once, GetRun's on the same
 * run); p50 and p99 in ms, what each transport adds, the target's verdict, and the size of the
 * responses.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests && . .ci/test-databases.env
 * java -cp "bench/target/classes:bench/target/lib/*" kfp.bench.RunsApiBench \
 *     [--profile wide|scale] [--runs 10000] [--db mysql,postgresql] [--rounds 1000]
 * </pre>
 */
public final class RunsApiBench {

    /** The targets: what transport and JSON may add to the store call's p50, in ms. */
    static final double LIST_TARGET = 2.0;
    static final double GET_TARGET = 1.0;
    /** GetRun cycles through this many of the data set's runs. */
    static final int GET_RUNS = 100;
    /** The gRPC clients' own event loop: the server's threads then serve the server alone. */
    static final ClientFactory CLIENTS = ClientFactory.builder()
            .workerGroup(EventLoopGroups.newEventLoopGroup(1, "bench-grpc-client"), true).build();
    /** Calls per allocation count. */
    static final int ALLOCATION_CALLS = 200;

    private RunsApiBench() {
    }

    public static void main(String[] args) throws Exception {
        RunsBench.Profile profile = RunsBench.Profile.WIDE;
        int runs = 10_000;
        int rounds = 1_000;
        List<String> databases = List.of("mysql", "postgresql");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profile = RunsBench.Profile.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--runs" -> runs = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--db" -> databases = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: RunsApiBench [--profile wide|scale] [--runs N] [--db mysql,postgresql] [--rounds N]");
            }
        }
        System.out.printf(Locale.ROOT, "load average before: %s%n%n", Bench.loadAverage());
        System.out.println("| database | call | store p50 | store p99 | REST p50 | REST p99 | gRPC p50 | gRPC p99"
                + " | REST adds p50 / p99 | gRPC adds p50 / p99 | target (p50 added) | verdict |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        StringBuilder allocations = new StringBuilder();
        for (String vendor : databases) {
            Bench.Server server = Bench.Server.fromEnvironment(vendor);
            if (server == null) {
                continue;
            }
            try (HikariDataSource ds = server.database(RunsBench.dataSet(profile, runs)).open("bench-runs-api")) {
                RunsBench.migrate(ds);
                requireSeeded(ds, profile, runs);
                String name = label(Bench.productName(ds), Bench.version(ds));
                ApiServer api = ApiServer.start(ServerSettings.of(0, 0, "bench", "bench"), StoreOptions.using(ds));
                try {
                    Injector stores = Guice.createInjector(new StoreModule(StoreOptions.using(ds)));
                    allocations.append(new Measurement(name, api, stores, runs, rounds).run());
                } finally {
                    api.stop();
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nResponse sizes (B) and heap allocated per call (KB; in parentheses, multiples of the"
                + " response: the copies made of it on the heap). REST is HTTP/2 (java.net.http); gRPC is Armeria's client on"
                + " an event loop of its own, so the server's threads (armeria-*) count the server alone.%n%n"
                + "| database | call | JSON | protobuf | store call | REST: server beyond the store | REST: client"
                + " | gRPC: server beyond the store | gRPC: client |%n|---|---|---:|---:|---:|---:|---:|---:|---:|%n%s%n"
                + "load average when done: %s%n", allocations, Bench.loadAverage());
        CLIENTS.close(); // its event loop would keep the JVM alive
    }

    /** "MariaDB 10.11.19", "PostgreSQL 15.20": the server and its version, without the distribution's suffixes. */
    private static String label(String product, String version) {
        if (version.contains("MariaDB")) {
            return "MariaDB " + version.replaceAll("-MariaDB.*", "");
        }
        return version.startsWith(product) ? version.replaceAll(" \\(.*", "") : product + " " + version;
    }

    private static void requireSeeded(HikariDataSource ds, RunsBench.Profile profile, int runs) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM run_details")) {
            rs.next();
            if (rs.getLong(1) < runs) {
                throw new IllegalStateException(RunsBench.dataSet(profile, runs) + " holds " + rs.getLong(1)
                        + " runs: seed it first (RunsBench seed --profile " + profile.name().toLowerCase(Locale.ROOT)
                        + " --runs " + runs + ")");
            }
        }
    }

    private static final class Measurement {
        private final String db;
        private final RunStore runs;
        private final HttpClient http = HttpClient.newHttpClient();
        private final String base;
        private final RunServiceBlockingStub grpc;
        private final kfp.server.proto.v1beta1.RunServiceGrpc.RunServiceBlockingStub grpcV1;
        private final int n;
        private final int rounds;

        Measurement(String db, ApiServer api, Injector stores, int n, int rounds) {
            this.db = db;
            this.runs = stores.getInstance(RunStore.class);
            this.base = "http://127.0.0.1:" + api.httpPort();
            String rpc = "http://127.0.0.1:" + api.rpcPort();
            this.grpc = GrpcClients.builder(rpc).factory(CLIENTS).build(RunServiceBlockingStub.class);
            this.grpcV1 = GrpcClients.builder(rpc).factory(CLIENTS)
                    .build(kfp.server.proto.v1beta1.RunServiceGrpc.RunServiceBlockingStub.class);
            this.n = n;
            this.rounds = rounds;
        }

        /** Prints the table's lines; returns the lines of the allocation table. */
        String run() throws Exception {
            ListOptions page = RunsBench.UI_DEFAULT_PAGE;
            String experiment = RunsBench.UI_DEFAULT_SCOPE.referenceKey().id();
            // The UI sends the filter URL-encoded in the query string; the gRPC field holds the JSON itself.
            HttpRequest listRest = request("/apis/v2beta1/runs?experiment_id=" + experiment
                    + "&page_size=" + page.pageSize() + "&sort_by=" + encode(page.sortBy())
                    + "&filter=" + encode(page.filter()));
            ListRunsRequest listGrpc = ListRunsRequest.newBuilder().setExperimentId(experiment)
                    .setPageSize(page.pageSize()).setSortBy(page.sortBy()).setFilter(page.filter()).build();
            ListResult<Run> expected = runs.listRuns(RunsBench.UI_DEFAULT_SCOPE, page);
            String listJson = Bench.get(http, listRest);
            ListRunsResponse listProto = grpc.listRuns(listGrpc);
            check(expected, listJson, listProto);

            List<Bench.RoundCall> listCalls = List.of(
                    round -> runs.listRuns(RunsBench.UI_DEFAULT_SCOPE, page),
                    round -> Bench.get(http, listRest),
                    round -> grpc.listRuns(listGrpc));
            long[][] list = Bench.interleaved(listCalls, rounds, rounds);
            row("ListRuns UI default (v2beta1)", list[0], list[1], list[2], LIST_TARGET);

            SplittableRandom r = new SplittableRandom(3);
            String[] ids = new String[GET_RUNS];
            HttpRequest[] getRest = new HttpRequest[GET_RUNS];
            HttpRequest[] getRestV1 = new HttpRequest[GET_RUNS];
            GetRunRequest[] getGrpc = new GetRunRequest[GET_RUNS];
            kfp.server.proto.v1beta1.GetRunRequest[] getGrpcV1 = new kfp.server.proto.v1beta1.GetRunRequest[GET_RUNS];
            for (int i = 0; i < GET_RUNS; i++) {
                ids[i] = new RunsBench.SeedRun(r.nextInt(n)).uuid;
                getRest[i] = request("/apis/v2beta1/runs/" + ids[i]);
                getRestV1[i] = request("/apis/v1beta1/runs/" + ids[i]);
                getGrpc[i] = GetRunRequest.newBuilder().setRunId(ids[i]).build();
                getGrpcV1[i] = kfp.server.proto.v1beta1.GetRunRequest.newBuilder().setRunId(ids[i]).build();
            }
            List<Bench.RoundCall> getCalls = List.of(
                    round -> runs.getRun(ids[round % GET_RUNS]),
                    round -> Bench.get(http, getRest[round % GET_RUNS]),
                    round -> grpc.getRun(getGrpc[round % GET_RUNS]),
                    round -> Bench.get(http, getRestV1[round % GET_RUNS]),
                    round -> grpcV1.getRunV1(getGrpcV1[round % GET_RUNS]));
            long[][] get = Bench.interleaved(getCalls, rounds, rounds);
            row("GetRun v2beta1", get[0], get[1], get[2], GET_TARGET);
            row("GetRun v1beta1 (RunDetail)", get[0], get[3], get[4], GET_TARGET);

            String version = http.send(listRest, HttpResponse.BodyHandlers.discarding()).version().name();
            if (!version.equals("HTTP_2")) {
                throw new IllegalStateException("REST answered over " + version + ", not HTTP/2");
            }
            return allocation("ListRuns page", utf8(listJson), listProto.getSerializedSize(),
                            listCalls.get(0), listCalls.get(1), listCalls.get(2))
                    + allocation("GetRun v2beta1", utf8(Bench.get(http, getRest[0])), grpc.getRun(getGrpc[0]).getSerializedSize(),
                            getCalls.get(0), getCalls.get(1), getCalls.get(2))
                    + allocation("GetRun v1beta1 (RunDetail)", utf8(Bench.get(http, getRestV1[0])),
                            grpcV1.getRunV1(getGrpcV1[0]).getSerializedSize(), getCalls.get(0), getCalls.get(3), getCalls.get(4));
        }

        /**
         * A line of the allocation table: the response's sizes, the heap the store call allocates,
         * and per transport what the server allocates beyond the store call and what the client
         * allocates, in KB and in multiples of the response (the copies each side makes of it).
         */
        private String allocation(String call, int json, int proto, Bench.RoundCall store, Bench.RoundCall rest,
                Bench.RoundCall rpc) throws Exception {
            Bench.Allocation s = Bench.allocatedPerCall(store, ALLOCATION_CALLS);
            Bench.Allocation r = Bench.allocatedPerCall(rest, ALLOCATION_CALLS);
            Bench.Allocation g = Bench.allocatedPerCall(rpc, ALLOCATION_CALLS);
            long storeOwn = s.total(); // the store call alone, on the calling thread
            return String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d (%.1f ×) | %,d (%.1f ×) | %,d (%.1f ×) | %,d (%.1f ×) |%n",
                    db, call, json, proto, storeOwn / 1024,
                    (r.server() - storeOwn) / 1024, (double) (r.server() - storeOwn) / json,
                    (r.total() - r.server()) / 1024, (double) (r.total() - r.server()) / json,
                    (g.server() - storeOwn) / 1024, (double) (g.server() - storeOwn) / proto,
                    (g.total() - g.server()) / 1024, (double) (g.total() - g.server()) / proto);
        }

        /** Both transports answer the page the store answers (or the numbers would compare different work). */
        private static void check(ListResult<Run> expected, String json, ListRunsResponse proto) {
            List<String> ids = expected.items().stream().map(run -> run.uuid).toList();
            if (!proto.getRunsList().stream().map(run -> run.getRunId()).toList().equals(ids)
                    || proto.getTotalSize() != expected.totalSize()
                    || !ids.stream().allMatch(id -> json.contains("\"run_id\":\"" + id + "\""))
                    || !json.contains("\"total_size\":" + expected.totalSize())) {
                throw new IllegalStateException("the transports answer another page than the store: " + ids);
            }
        }

        private void row(String call, long[] store, long[] rest, long[] rpc, double target) {
            double s50 = Bench.percentile(store, 50);
            double s99 = Bench.percentile(store, 99);
            double r50 = Bench.percentile(rest, 50);
            double r99 = Bench.percentile(rest, 99);
            double g50 = Bench.percentile(rpc, 50);
            double g99 = Bench.percentile(rpc, 99);
            String verdict = r50 - s50 <= target && g50 - s50 <= target ? "met"
                    : String.format(Locale.ROOT, "**missed** (%s)", r50 - s50 > target && g50 - s50 > target ? "both"
                            : r50 - s50 > target ? "REST" : "gRPC");
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f | %.2f / %.2f"
                            + " | ≤ %.0f ms | %s |%n", db, call, s50, s99, r50, r99, g50, g99, r50 - s50, r99 - s99,
                    g50 - s50, g99 - s99, target, verdict);
            System.out.flush();
        }

        private HttpRequest request(String path) {
            return HttpRequest.newBuilder(URI.create(base + path)).build();
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }

        private static int utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
