package kfp.store.list;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kfp.store.api.InvalidArgumentException;

/**
 * The {@code filter} request parameter: the JSON of KFP's Filter message, v1 ({@code op}) or v2
 * ({@code operation}), parsed as protojson does (proto or lowerCamelCase field names, enum names
 * or numbers, int64 as number or string, timestamps as RFC 3339), and rejected with
 * {@link InvalidArgumentException} when malformed: unknown fields, no or two operations, no or two
 * values, a list value for a scalar operation, a scalar for IN, an empty key.
 *
 * <p>Whether a key exists and its value kind fits is checked against a resource's field map when
 * the query is built (the list model's fields). {@link #toJson()} is the canonical form page tokens carry.
 */
public final class Filter {

    public static final Filter EMPTY = new Filter(List.of());

    /**
     * The most values a filter may hold, IN lists included: each is a bind parameter, and drivers
     * and databases cap those (PostgreSQL at 65,535 per statement), while the statement also
     * binds scope, cursor and paging values.
     */
    public static final int MAX_VALUES = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Predicate> predicates;

    private Filter(List<Predicate> predicates) {
        this.predicates = List.copyOf(predicates);
    }

    public static Filter of(List<Predicate> predicates) {
        return new Filter(predicates);
    }

    public List<Predicate> predicates() {
        return predicates;
    }

    public boolean isEmpty() {
        return predicates.isEmpty();
    }

    /** Parses the request's filter; {@code ""} or null is no filter. */
    public static Filter parse(String json) {
        if (json == null || json.isBlank()) {
            return EMPTY;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid("the filter is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("the filter must be a JSON object");
        }
        List<Predicate> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("predicates")) {
                throw invalid("unknown field \"" + e.getKey() + "\" in the filter");
            }
            if (e.getValue().isNull()) {
                continue;
            }
            if (!e.getValue().isArray()) {
                throw invalid("filter predicates must be an array");
            }
            for (JsonNode p : e.getValue()) {
                out.add(predicate(p));
            }
        }
        int values = out.stream().mapToInt(p -> p.value() instanceof List<?> l ? l.size() : 1).sum();
        if (values > MAX_VALUES) {
            throw invalid("it holds " + values + " values (IN lists included); at most " + MAX_VALUES + " are allowed");
        }
        return new Filter(out);
    }

    private static Predicate predicate(JsonNode p) {
        if (!p.isObject()) {
            throw invalid("a filter predicate must be a JSON object");
        }
        String key = null;
        Operation op = null;
        boolean opSeen = false;
        Object value = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "key" -> key = v.isTextual() ? v.asText() : fail("a predicate key must be a string");
                case "op", "operation" -> {
                    if (opSeen) {
                        throw invalid("a predicate has both op and operation");
                    }
                    opSeen = true;
                    op = operation(v);
                }
                case "int_value", "intValue" -> value = once(value, integral(v, true));
                case "long_value", "longValue" -> value = once(value, integral(v, false));
                case "string_value", "stringValue" -> value = once(value,
                        v.isTextual() ? v.asText() : fail("string_value must be a string"));
                case "timestamp_value", "timestampValue" -> value = once(value, timestamp(v));
                case "int_values", "intValues" -> value = once(value, list(v, n -> integral(n, true)));
                case "long_values", "longValues" -> value = once(value, list(v, n -> integral(n, false)));
                case "string_values", "stringValues" -> value = once(value,
                        list(v, n -> n.isTextual() ? n.asText() : fail("string_values must hold strings")));
                default -> throw invalid("unknown field \"" + e.getKey() + "\" in a filter predicate");
            }
        }
        if (key == null || key.isEmpty()) {
            throw invalid("a filter predicate has an empty key");
        }
        if (key.indexOf('\0') >= 0 || (value instanceof String s && s.indexOf('\0') >= 0)
                || (value instanceof List<?> l && l.stream().anyMatch(v -> v instanceof String s && s.indexOf('\0') >= 0))) {
            throw invalid("the predicate on \"" + key.replace('\0', '?') + "\" holds the character U+0000 (NUL),"
                    + " which no stored value contains");
        }
        if (op == null) {
            throw invalid("the filter predicate on \"" + key + "\" has no operation");
        }
        if (value == null) {
            throw invalid("the filter predicate on \"" + key + "\" has no value");
        }
        if (op.takesList() != (value instanceof List<?>)) {
            throw invalid(op.takesList()
                    ? "IN on \"" + key + "\" needs a list value (int_values, long_values or string_values)"
                    : op + " on \"" + key + "\" needs a single value, not a list");
        }
        if (op == Operation.IS_SUBSTRING && !(value instanceof String)) {
            throw invalid("IS_SUBSTRING on \"" + key + "\" needs a string_value");
        }
        return new Predicate(key, op, value);
    }

    private static Operation operation(JsonNode v) {
        Operation op = null;
        if (v.isTextual()) {
            op = Operation.parse(v.asText());
        } else if (v.isIntegralNumber()) {
            op = Operation.of(v.asInt());
        }
        if (op == null) {
            throw invalid("unknown filter operation " + v);
        }
        return op;
    }

    private static Object once(Object previous, Object value) {
        if (previous != null) {
            throw invalid("a filter predicate has more than one value");
        }
        return value;
    }

    private static Long integral(JsonNode v, boolean int32) {
        long n;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            n = v.asLong();
        } else if (v.isTextual()) {
            try {
                n = Long.parseLong(v.asText());
            } catch (NumberFormatException e) {
                throw invalid("not an integer: " + v);
            }
        } else {
            throw invalid("not an integer: " + v);
        }
        if (int32 && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
            throw invalid("int_value out of the int32 range: " + n);
        }
        return n;
    }

    private static Long timestamp(JsonNode v) {
        if (!v.isTextual()) {
            throw invalid("timestamp_value must be an RFC 3339 string");
        }
        try {
            return OffsetDateTime.parse(v.asText()).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw invalid("timestamp_value is not an RFC 3339 time: " + v.asText());
        }
    }

    private static List<Object> list(JsonNode v, java.util.function.Function<JsonNode, Object> element) {
        if (!v.isObject()) {
            throw invalid("a list value must be an object with \"values\"");
        }
        List<Object> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("values")) {
                throw invalid("unknown field \"" + e.getKey() + "\" in a list value");
            }
            if (e.getValue().isNull()) {
                continue;
            }
            if (!e.getValue().isArray()) {
                throw invalid("\"values\" must be an array");
            }
            for (JsonNode n : e.getValue()) {
                out.add(element.apply(n));
            }
        }
        return out;
    }

    /** Canonical JSON (v2 spelling; values typed as parsed), what page tokens carry. */
    public JsonNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode ps = root.putArray("predicates");
        for (Predicate p : predicates) {
            ObjectNode n = ps.addObject();
            n.put("key", p.key());
            n.put("operation", p.operation().name());
            Object v = p.value();
            if (v instanceof String s) {
                n.put("string_value", s);
            } else if (v instanceof Long l) {
                n.put("long_value", l);
            } else if (v instanceof List<?> list) {
                boolean strings = !list.isEmpty() && list.get(0) instanceof String;
                ArrayNode values = n.putObject(strings ? "string_values" : "long_values").putArray("values");
                for (Object o : list) {
                    if (o instanceof String s) {
                        values.add(s);
                    } else {
                        values.add((Long) o);
                    }
                }
            }
        }
        return root;
    }

    /** Reads {@link #toJson()} back. */
    static Filter fromJson(JsonNode json) {
        return parse(json.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Filter f && f.predicates.equals(predicates);
    }

    @Override
    public int hashCode() {
        return predicates.hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    private static <T> T fail(String message) {
        throw invalid(message);
    }

    /** A filter that names an unknown field or gives a value of the wrong kind for it. */
    public static InvalidArgumentException invalid(String message) {
        return new InvalidArgumentException("Invalid filter: " + message);
    }
}
