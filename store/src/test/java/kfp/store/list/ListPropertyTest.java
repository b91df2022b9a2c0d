package kfp.store.list;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.mybatis.dynamic.ListModel;
import kfp.store.mybatis.dynamic.ListModels;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * Randomized check of the list engine on each database: generated pipeline versions (mixed case,
 * LIKE wildcards, quotes, the escape character, non-ASCII letters and an emoji, equal
 * timestamps, NULL and long descriptions sharing a 255-character prefix) and generated filter +
 * sort + page size combinations. Walking every page with the tokens must return exactly the rows,
 * in exactly the order, of an in-memory evaluation of the same request, and every page must
 * report the same total_size.
 *
 * <p>The in-memory side follows the contract, not the engine: case-insensitive fields compare
 * lower-cased, strings order by code point, NULLs never match and sort last, long texts sort by
 * their first 255 characters, ties go to the id in the same direction.
 *
 * <p>Strings have no trailing spaces and no control characters: MySQL's utf8mb4_bin is a PAD
 * SPACE collation (README: known difference).
 */
@StoreTest
class ListPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ALPHABET = {"a", "B", "c", "D", "%", "_", "!", "'", "\"", "\\", " ", "-", "É", "é",
        "Ω", "ω", "Ж", "中", "😀", "0", "9", "Z"};
    private static final ListModel MODEL = ListModels.PIPELINE_VERSIONS;

    @OnEachDatabase
    void pagesEqualTheInMemoryEvaluation(PipelineStore store, TestDatabase db) {
        long seed = 20261121L + db.databaseId().length();
        Random rnd = new Random(seed);
        String pipelineId = store.createPipeline(Pipeline.newPipeline("p", "", "", "", Map.of())).uuid();
        String otherPipeline = store.createPipeline(Pipeline.newPipeline("q", "", "", "", Map.of())).uuid();

        List<Map<String, Object>> rows = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String longPrefix = "L".repeat(250) + "ÉéΩω";
        for (int i = 0; i < 70; i++) {
            String name;
            do {
                name = word(rnd, 1 + rnd.nextInt(6));
            } while (!names.add(name.toLowerCase(Locale.ROOT)));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", String.format("%08x-%s", rnd.nextInt(), i));
            r.put("name", name);
            r.put("display_name", rnd.nextInt(5) == 0 ? name.toUpperCase(Locale.ROOT) : word(rnd, 1 + rnd.nextInt(4)));
            r.put("created_at", (long) rnd.nextInt(5));
            int d = rnd.nextInt(6);
            r.put("description", d == 0 ? null : d == 1 ? longPrefix + word(rnd, 3) : d == 2 ? "" : word(rnd, 1 + rnd.nextInt(5)));
            r.put("pipeline_spec", rnd.nextBoolean() ? longPrefix + word(rnd, 2) : word(rnd, 3));
            String status = rnd.nextInt(8) == 0 ? "CREATING" : "READY";
            r.put("status", status);
            String owner = rnd.nextInt(10) == 0 ? otherPipeline : pipelineId;
            db.update("INSERT INTO pipeline_versions (\"UUID\", \"CreatedAtInSec\", \"Name\", \"DisplayName\", \"Parameters\","
                    + " \"PipelineId\", \"Status\", \"CodeSourceUrl\", \"Description\", \"PipelineSpec\", \"PipelineSpecURI\")"
                    + " VALUES (?, ?, ?, ?, '', ?, ?, NULL, ?, ?, '')", r.get("id"), r.get("created_at"), name,
                    r.get("display_name"), owner, status, r.get("description"), r.get("pipeline_spec"));
            if (owner.equals(pipelineId) && status.equals("READY")) {
                rows.add(r);
            }
        }

        List<String> sortable = List.of("id", "name", "display_name", "created_at", "status", "description", "pipeline_spec");
        for (int round = 0; round < 40; round++) {
            ArrayNode predicates = JSON.createArrayNode();
            List<Predicate<Map<String, Object>>> expected = new ArrayList<>();
            for (int k = rnd.nextInt(3); k > 0; k--) {
                addPredicate(rnd, rows, predicates, expected);
            }
            String sortField = sortable.get(rnd.nextInt(sortable.size()));
            boolean desc = rnd.nextBoolean();
            int pageSize = 1 + rnd.nextInt(9);
            ObjectNode filter = JSON.createObjectNode();
            filter.set("predicates", predicates);

            List<String> want = rows.stream()
                    .filter(r -> expected.stream().allMatch(p -> p.test(r)))
                    .sorted(order(sortField, desc))
                    .map(r -> (String) r.get("id"))
                    .toList();

            ListOptions options = ListOptions.firstPage(pageSize).withSortBy(sortField + (desc ? " desc" : ""))
                    .withFilter(predicates.isEmpty() ? "" : filter.toString());
            List<String> got = new ArrayList<>();
            String description = "seed " + seed + " round " + round + ": " + options;
            for (int page = 0; page < 100; page++) {
                ListResult<PipelineVersion> r = store.listPipelineVersions(pipelineId, options);
                assertThat(r.totalSize()).as(description).isEqualTo(want.size());
                assertThat(r.items().size()).as(description).isLessThanOrEqualTo(pageSize);
                r.items().forEach(v -> got.add(v.uuid()));
                if (r.nextPageToken().isEmpty()) {
                    break;
                }
                assertThat(r.items()).as(description).hasSize(pageSize);
                // continue with the token alone or with the same request: both must give the same next page
                options = rnd.nextBoolean() ? ListOptions.firstPage(pageSize).withPageToken(r.nextPageToken())
                        : options.withPageToken(r.nextPageToken());
            }
            assertThat(got).as(description).containsExactlyElementsOf(want);
        }
    }

    private static String word(Random rnd, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET[rnd.nextInt(ALPHABET.length)]);
        }
        String s = b.toString().strip();
        return s.isEmpty() ? "x" : s;
    }

    /** A random predicate over a random field, with values drawn from the data (case changed) or made up. */
    private static void addPredicate(Random rnd, List<Map<String, Object>> rows, ArrayNode out,
            List<Predicate<Map<String, Object>>> expected) {
        Map<String, Object> sample = rows.get(rnd.nextInt(rows.size()));
        String[] fields = {"name", "display_name", "description", "created_at", "id", "status"};
        String key = fields[rnd.nextInt(fields.length)];
        Field field = MODEL.field(key).orElseThrow();
        ObjectNode p = out.addObject();
        p.put("key", key);
        boolean v1 = rnd.nextBoolean();
        String opField = v1 ? "op" : "operation";
        if (field.kind() == Field.Kind.INTEGER) {
            String[] ops = {"EQUALS", "NOT_EQUALS", "GREATER_THAN", "GREATER_THAN_EQUALS", "LESS_THAN", "LESS_THAN_EQUALS", "IN"};
            String op = ops[rnd.nextInt(ops.length)];
            p.put(opField, op);
            long v = rnd.nextInt(6);
            if (op.equals("IN")) {
                long w = rnd.nextInt(6);
                p.putObject("long_values").putArray("values").add(v).add(String.valueOf(w));
                expected.add(r -> ((Long) r.get(key)) == v || ((Long) r.get(key)) == w);
                return;
            }
            p.put(rnd.nextBoolean() ? "long_value" : "int_value", v);
            expected.add(r -> compare(op, Long.compare((Long) r.get(key), v)));
            return;
        }
        String[] ops = {"EQUALS", "NOT_EQUALS", "GREATER_THAN", "LESS_THAN_EQUALS", "IN", "IS_SUBSTRING"};
        String op = ops[rnd.nextInt(ops.length)];
        p.put(opField, op);
        String base = sample.get(key) == null ? "" : (String) sample.get(key);
        if (field.isCaseInsensitive() && rnd.nextBoolean()) {
            base = rnd.nextBoolean() ? base.toUpperCase(Locale.ROOT) : base.toLowerCase(Locale.ROOT);
        }
        boolean ci = field.isCaseInsensitive();
        switch (op) {
            case "IN" -> {
                List<String> values = rnd.nextInt(5) == 0 ? List.of() : List.of(base, word(rnd, 2));
                ArrayNode a = p.putObject("string_values").putArray("values");
                values.forEach(a::add);
                expected.add(r -> r.get(key) != null && values.stream().anyMatch(v -> eq(ci, (String) r.get(key), v)));
            }
            case "IS_SUBSTRING" -> {
                int from = base.isEmpty() ? 0 : rnd.nextInt(base.length());
                String sub = base.substring(from, Math.min(base.length(), from + 1 + rnd.nextInt(3)));
                if (Character.isLowSurrogate(sub.isEmpty() ? 'x' : sub.charAt(0))
                        || (!sub.isEmpty() && Character.isHighSurrogate(sub.charAt(sub.length() - 1)))) {
                    sub = "x"; // never split a surrogate pair
                }
                String s = sub;
                p.put("string_value", s);
                expected.add(r -> r.get(key) != null && lower((String) r.get(key)).contains(lower(s)));
            }
            default -> {
                String v = base;
                p.put("string_value", v);
                expected.add(r -> {
                    String x = (String) r.get(key);
                    if (x == null) {
                        return false;
                    }
                    return switch (op) {
                        case "EQUALS" -> eq(ci, x, v);
                        case "NOT_EQUALS" -> !eq(ci, x, v);
                        default -> compare(op, codePointCompare(x, v));
                    };
                });
            }
        }
    }

    private static boolean eq(boolean ci, String a, String b) {
        return ci ? lower(a).equals(lower(b)) : a.equals(b);
    }

    private static boolean compare(String op, int c) {
        return switch (op) {
            case "EQUALS" -> c == 0;
            case "NOT_EQUALS" -> c != 0;
            case "GREATER_THAN" -> c > 0;
            case "GREATER_THAN_EQUALS" -> c >= 0;
            case "LESS_THAN" -> c < 0;
            case "LESS_THAN_EQUALS" -> c <= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static int codePointCompare(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /** The contract's order: sort value (NULLs last either way), then id, both in the requested direction. */
    private static Comparator<Map<String, Object>> order(String sortField, boolean desc) {
        Field f = MODEL.field(sortField).orElseThrow();
        Comparator<Object> values = (a, b) -> a instanceof Long x ? Long.compare(x, (Long) b) : codePointCompare((String) a, (String) b);
        Comparator<Map<String, Object>> bySort = (r1, r2) -> {
            Object a = sortValue(f, r1.get(sortField));
            Object b = sortValue(f, r2.get(sortField));
            if (a == null || b == null) {
                return a == null && b == null ? 0 : a == null ? 1 : -1; // NULLs last, not reversed
            }
            return desc ? values.compare(b, a) : values.compare(a, b);
        };
        Comparator<Map<String, Object>> byId = (r1, r2) -> codePointCompare((String) r1.get("id"), (String) r2.get("id"));
        return bySort.thenComparing(desc ? byId.reversed() : byId);
    }

    private static Object sortValue(Field f, Object v) {
        if (!(v instanceof String s)) {
            return v;
        }
        if (f.isLongText() && s.codePointCount(0, s.length()) > Field.SORT_PREFIX_CHARS) {
            s = s.substring(0, s.offsetByCodePoints(0, Field.SORT_PREFIX_CHARS));
        }
        return f.isCaseInsensitive() ? lower(s) : s;
    }
}
