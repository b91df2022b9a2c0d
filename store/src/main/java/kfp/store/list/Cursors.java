package kfp.store.list;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import kfp.store.api.InternalException;

/**
 * Sort values in page tokens: written in the sort key's kind, and read back only in that kind. A
 * NUMBER that is not finite (NaN, ±Infinity: a metric another writer stored on PostgreSQL or H2)
 * travels as the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}, which JSON has
 * no number for, so a list can page past it.
 */
final class Cursors {

    private static final java.util.Set<String> NON_FINITE = java.util.Set.of("NaN", "Infinity", "-Infinity");

    private Cursors() {
    }

    private static JsonNode number(double d) {
        return Double.isFinite(d) ? JsonNodeFactory.instance.numberNode(d) : JsonNodeFactory.instance.textNode(Double.toString(d));
    }

    static JsonNode toJson(SortKey key, Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            if (!key.nullable()) {
                throw new InternalException("sort key " + key.name() + " returned NULL although it is not nullable", null);
            }
            return f.nullNode();
        }
        return switch (key.kind()) {
            case STRING -> f.textNode(value.toString());
            case INTEGER -> f.numberNode(((Number) value).longValue());
            case NUMBER -> number(value instanceof BigDecimal d ? d.doubleValue() : ((Number) value).doubleValue());
        };
    }

    /** The bind value of a token's sort value, or null for a NULL boundary; a value of the wrong kind is a forged token. */
    static Object fromJson(SortKey key, JsonNode value) {
        if (value == null || value.isNull()) {
            if (!key.nullable()) {
                throw PageToken.invalid();
            }
            return null;
        }
        switch (key.kind()) {
            case STRING:
                if (value.isTextual()) {
                    return value.asText();
                }
                break;
            case INTEGER:
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    return value.asLong();
                }
                break;
            case NUMBER:
                if (value.isNumber()) {
                    return value.asDouble();
                }
                if (value.isTextual() && NON_FINITE.contains(value.asText())) {
                    return Double.valueOf(value.asText());
                }
                break;
            default:
                break;
        }
        throw PageToken.invalid();
    }
}
