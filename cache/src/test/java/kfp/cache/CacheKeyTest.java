package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Cache keys equal KFP's. Each vector under {@code kfp/cache/keys/} is an ARGO_TEMPLATE and the
 * canonical JSON that KFP's Go code (its skeleton intersection, {@code json.Marshal}, SHA-256) makes
 * of it; the hashes below are what that Go code printed. What each vector proves:
 * <ul>
 *   <li>html-escapes: only the kept parts (container.image/command/args, inputs) survive; {@code <},
 *       {@code >}, {@code &} become {@code \u003c}, {@code \u003e}, {@code \u0026}; keys sorted.</li>
 *   <li>unicode-numbers-nested: nested maps sorted at every level by UTF-8 bytes (U+FFFD before 😀,
 *       the reverse of UTF-16 order), non-ASCII written raw, U+2028/U+2029 escaped, null kept, every
 *       number a float64 in Go's form (1e+21, 1e-7, -0, 123456789012345680, 100000000000000000000).</li>
 *   <li>control-characters: \t \n \r short escapes, other controls as {@code \u0001}, DEL raw,
 *       a lone surrogate escape becomes U+FFFD, {@code /} unescaped, an explicit null kept.</li>
 *   <li>null-template: the JSON {@code null} is an empty map in Go, so the key of {@code {}}.</li>
 * </ul>
 */
class CacheKeyTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "html-escapes,           9bfa56eba7c7dcf3bd7d5790d178d8fb73c40120d7dd0d2b31fe6aa55a00de82",
        "unicode-numbers-nested, f4bca98fdf4eaf593fbbfe4fc739dfff61f20291b7da703f3b9c0cfb37053290",
        "control-characters,     226ee42f64bfbcf487b5d626021d85dc2836750435491a810fa1e0b6b970cf79",
        "null-template,          44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
    })
    void keysMatchKfpsGoServer(String vector, String goKey) throws IOException {
        String template = resource(vector + ".template.json");
        String canonical = resource(vector + ".canonical.json");
        assertThat(CacheKey.sha256Hex(canonical)).isEqualTo(goKey);
        assertThat(CacheKey.fromTemplate(template)).contains(goKey);
    }

    @Test
    void htmlCharactersAreEscapedAsGoDoes() {
        String template = "{\"container\":{\"image\":\"a<b>&c\"},\"script\":{\"source\":\"ignored\"}}";
        String canonical = "{\"container\":{\"image\":\"a\\u003cb\\u003e\\u0026c\"}}";
        assertThat(GoJson.marshal(GoJson.parse(template))).isNotEqualTo(canonical); // script is dropped only by the key
        assertThat(CacheKey.fromTemplate(template)).contains(CacheKey.sha256Hex(canonical));
    }

    @Test
    void templatesKfpCannotKeyGetNoKey() {
        assertThat(CacheKey.fromTemplate("not json")).isEmpty();
        assertThat(CacheKey.fromTemplate("[1, 2]")).isEmpty();
        assertThat(CacheKey.fromTemplate("\"text\"")).isEmpty();
        assertThat(CacheKey.fromTemplate("{} {}")).isEmpty();
        assertThat(CacheKey.fromTemplate("{\"container\":\"image\"}")).isEmpty(); // Go panics here
        assertThat(CacheKey.fromTemplate("{\"container\":null}")).isEmpty();
        assertThat(CacheKey.fromTemplate("{\"inputs\":1e400}")).isEmpty();     // beyond float64
        assertThat(CacheKey.fromTemplate("{}")).contains(CacheKey.sha256Hex("{}"));
        assertThat(CacheKey.fromTemplate("{\"container\":{}}")).contains(CacheKey.sha256Hex("{\"container\":{}}"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1|1", "-1|-1", "0.1|0.1", "1.5|1.5", "100|100", "1e20|100000000000000000000", "1e21|1e+21",
        "1.5e21|1.5e+21", "0.000001|0.000001", "0.0000001|1e-7", "1.234e-10|1.234e-10", "5e-324|5e-324",
        "1.7976931348623157e308|1.7976931348623157e+308", "9007199254740993|9007199254740992",
        "0.30000000000000004|0.30000000000000004", "2e-7|2e-7", "-0|-0", "123456789.125|123456789.125",
    })
    void numbersAreFloat64InGosShortestForm(String json, String go) {
        assertThat(GoJson.marshal(GoJson.parse(json))).isEqualTo(go);
    }

    @Test
    void repeatedNamesKeepTheLastValueAndKeysSortByUtf8Bytes() {
        assertThat(GoJson.marshal(GoJson.parse("{\"b\":1,\"a\":2,\"b\":3}"))).isEqualTo("{\"a\":2,\"b\":3}");
        assertThat(GoJson.marshal(GoJson.parse("{\"\uD83D\uDE00\":1,\"\uFFFD\":2,\"z\":3,\"Z\":4}")))
                .isEqualTo("{\"Z\":4,\"z\":3,\"\uFFFD\":2,\"\uD83D\uDE00\":1}");
    }

    @Test
    void goEscapesBackspaceAndFormFeedShort() {
        // Go 1.22+ (KFP builds with a current Go) writes \b and \f; older releases wrote \u0008 and \u000c
        assertThat(GoJson.marshal("\b\f\u000b")).isEqualTo("\"\\b\\f\\u000b\"");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CacheKeyTest.class.getResourceAsStream("/kfp/cache/keys/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
