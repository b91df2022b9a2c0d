package kfp.cache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON exactly as Go's {@code encoding/json} reads into {@code interface{}} and writes it back with
 * {@code json.Marshal}: the byte-for-byte encoding KFP hashes into cache keys.
 *
 * <p>Reading: objects become maps (a repeated name keeps its last value), arrays lists, every number a
 * {@code double} (Go's float64), plus strings, booleans and null. Writing: map keys sorted by their
 * UTF-8 bytes, no spaces, Go's string escapes ({@code <}, {@code >}, {@code &}, U+2028 and U+2029 as
 * {@code \u003c} …, control characters as {@code \n} or {@code \u001f}, {@code \b} and {@code \f} as
 * Go 1.22 and later write them), and float64 in Go's shortest form ({@code 1e+21}, {@code 1e-7}).
 */
final class GoJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Map keys in Go's order: by UTF-8 bytes, which is code point order (not UTF-16 order). */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private GoJson() {
    }

    /** Parses one JSON value; anything Go's decoder refuses (bad syntax, trailing data, a number beyond float64) throws. */
    static Object parse(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("unexpected end of JSON input");
            }
            Object value = read(p, first);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("invalid character after top-level value");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    list.add(read(p, e));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                double d = Double.parseDouble(p.getText()); // correctly rounded, as Go's ParseFloat
                if (Double.isInfinite(d)) {
                    throw new IllegalArgumentException("number " + p.getText() + " is out of the range of float64");
                }
                return d;
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalArgumentException("unexpected JSON token " + t);
        }
    }

    /** Go's {@code json.Marshal} of maps, lists, strings, numbers, booleans and null. */
    static String marshal(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            out.append(formatFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n.longValue());
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>(KEY_ORDER);
            map.forEach((k, v) -> sorted.put((String) k, v));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, e.getKey());
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(out, c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else if (Character.isSurrogate(c)) {
                        boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1));
                        if (pair) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append('\uFFFD'); // Go decodes a lone surrogate escape to U+FFFD
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
    }

    /**
     * A float64 as Go's encoder writes it: the shortest decimal that reads back to the same value,
     * plain for magnitudes in [1e-6, 1e21), otherwise exponent form without a leading zero in a
     * negative exponent ({@code 1e-7}, {@code 1.5e+21}).
     */
    static String formatFloat(double f) {
        if (Double.isNaN(f) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("unsupported value: " + f);
        }
        if (f == 0) {
            return 1 / f < 0 ? "-0" : "0";
        }
        BigDecimal d = shortest(f);
        double abs = Math.abs(f);
        if (abs >= 1e-6 && abs < 1e21) {
            return d.toPlainString();
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        StringBuilder s = new StringBuilder();
        if (f < 0) {
            s.append('-');
        }
        s.append(digits.charAt(0));
        if (digits.length() > 1) {
            s.append('.').append(digits, 1, digits.length());
        }
        s.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (exponent > 0 && e < 10) {
            s.append('0'); // Go pads a positive exponent to two digits (unreachable below 1e21)
        }
        return s.append(e).toString();
    }

    /** The decimal with the fewest significant digits that parses back to {@code f}; the nearest one on a tie. */
    private static BigDecimal shortest(double f) {
        BigDecimal exact = new BigDecimal(f);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal best = null;
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal candidate = exact.round(new MathContext(digits, mode));
                if (Double.parseDouble(candidate.toString()) == f
                        && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = candidate;
                }
            }
            if (best != null) {
                return best.stripTrailingZeros();
            }
        }
        return exact.stripTrailingZeros();
    }
}
