package kfp.store.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kfp.store.api.InvalidArgumentException;
import org.junit.jupiter.api.Test;

/** Parsing of KFP's v1 and v2 filter JSON, without a database. */
class FilterTest {

    @Test
    void v1AndV2SpellingsAndEveryValueKind() {
        Filter f = Filter.parse("{\"predicates\":["
                + "{\"key\":\"a\",\"op\":\"EQUALS\",\"string_value\":\"x\"},"
                + "{\"key\":\"b\",\"operation\":\"NOT_EQUALS\",\"intValue\":7},"
                + "{\"key\":\"c\",\"op\":3,\"long_value\":\"9007199254740993\"},"
                + "{\"key\":\"d\",\"operation\":\"GREATER_THAN_EQUALS\",\"timestamp_value\":\"1970-01-01T00:01:40Z\"},"
                + "{\"key\":\"e\",\"op\":\"LESS_THAN\",\"timestampValue\":\"1970-01-01T01:00:00+01:00\"},"
                + "{\"key\":\"f\",\"op\":\"LESS_THAN_EQUALS\",\"long_value\":5},"
                + "{\"key\":\"g\",\"op\":\"IN\",\"int_values\":{\"values\":[1,\"2\"]}},"
                + "{\"key\":\"h\",\"operation\":\"IN\",\"longValues\":{\"values\":[]}},"
                + "{\"key\":\"i\",\"op\":\"IN\",\"string_values\":{\"values\":[\"p\",\"q\"]}},"
                + "{\"key\":\"j\",\"operation\":9,\"stringValue\":\"50%_\"}]}");
        assertThat(f.predicates()).containsExactly(
                new Predicate("a", Operation.EQUALS, "x"),
                new Predicate("b", Operation.NOT_EQUALS, 7L),
                new Predicate("c", Operation.GREATER_THAN, 9007199254740993L),
                new Predicate("d", Operation.GREATER_THAN_EQUALS, 100L),
                new Predicate("e", Operation.LESS_THAN, 0L),
                new Predicate("f", Operation.LESS_THAN_EQUALS, 5L),
                new Predicate("g", Operation.IN, List.of(1L, 2L)),
                new Predicate("h", Operation.IN, List.of()),
                new Predicate("i", Operation.IN, List.of("p", "q")),
                new Predicate("j", Operation.IS_SUBSTRING, "50%_"));
        assertThat(Filter.fromJson(f.toJson())).isEqualTo(f);
        assertThat(Filter.parse("")).isEqualTo(Filter.EMPTY);
        assertThat(Filter.parse("{}")).isEqualTo(Filter.EMPTY);
    }

    @Test
    void malformedFiltersAreInvalidArgument() {
        for (String bad : List.of(
                "not json", "[]", "{\"predicate\":[]}", "{\"predicates\":{}}",
                "{\"predicates\":[{\"op\":\"EQUALS\",\"string_value\":\"x\"}]}",
                "{\"predicates\":[{\"key\":\"\",\"op\":\"EQUALS\",\"string_value\":\"x\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"string_value\":\"x\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"UNKNOWN\",\"string_value\":\"x\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":0,\"string_value\":\"x\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":4,\"string_value\":\"x\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"EQUALS\",\"operation\":\"EQUALS\",\"string_value\":\"x\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"EQUALS\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"EQUALS\",\"string_value\":\"x\",\"long_value\":1}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"EQUALS\",\"string_values\":{\"values\":[\"x\"]}}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"IN\",\"string_value\":\"x\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"IS_SUBSTRING\",\"long_value\":1}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"EQUALS\",\"int_value\":3000000000}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"EQUALS\",\"long_value\":\"x1\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"EQUALS\",\"timestamp_value\":\"yesterday\"}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"EQUALS\",\"bool_value\":true}]}",
                "{\"predicates\":[{\"key\":\"a\",\"op\":\"IN\",\"string_values\":{\"values\":[1]}}]}")) {
            assertThatThrownBy(() -> Filter.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
    }
}
