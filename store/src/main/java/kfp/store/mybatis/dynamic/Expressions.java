package kfp.store.mybatis.dynamic;

import java.util.Optional;
import kfp.store.dialect.Dialect;
import org.mybatis.dynamic.sql.AbstractColumnComparisonCondition;
import org.mybatis.dynamic.sql.BasicColumn;
import org.mybatis.dynamic.sql.BindableColumn;
import org.mybatis.dynamic.sql.SqlBuilder;
import org.mybatis.dynamic.sql.render.RenderingContext;
import org.mybatis.dynamic.sql.select.function.Lower;
import org.mybatis.dynamic.sql.util.FragmentAndParameters;

/**
 * The SQL pieces the list engine adds to MyBatis Dynamic SQL: byte-order collation on
 * PostgreSQL, and an escaped, case-insensitive LIKE. Only fixed text is added; values stay binds.
 */
public final class Expressions {

    /** The LIKE escape character: '!' because a backslash would also escape the quote in MySQL string literals. */
    static final char LIKE_ESCAPE = '!';

    private Expressions() {
    }

    /**
     * {@code expression} compared and sorted by code point (byte order of UTF-8): PostgreSQL gets
     * {@code COLLATE "C"} (its database collation may be a locale's); MySQL tables are
     * {@code utf8mb4_bin} and H2 compares Java strings, which agree for the characters the tests
     * use (see README: strings sort the same everywhere).
     */
    public static <T> BindableColumn<T> byteOrder(Dialect dialect, BindableColumn<T> expression) {
        return dialect == Dialect.POSTGRESQL ? new Suffixed<>(expression, " COLLATE \"C\"") : expression;
    }

    /**
     * {@code expression} compared byte-wise on MySQL whatever the column's collation:
     * {@code CAST(expression AS BINARY)}. KFP's own tables in an adopted MySQL database keep their
     * case-insensitive collation (the migrations add and change nothing of KFP's), so an equality
     * there would match 'succeeded' to 'Succeeded'. Callers keep the plain comparison beside it, so
     * the column's index still finds the candidates (see README, adoption). Other databases
     * compare byte-wise already: the expression is returned as it is.
     */
    public static <T> BindableColumn<T> exactBytes(Dialect dialect, BindableColumn<T> expression) {
        return dialect == Dialect.MYSQL ? new Wrapped<>(expression, "CAST(", " AS BINARY)") : expression;
    }

    /** {@code %value%} with {@code %}, {@code _} and the escape character itself escaped. */
    static String containsPattern(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('%');
        for (char c : value.toCharArray()) {
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                b.append(LIKE_ESCAPE);
            }
            b.append(c);
        }
        return b.append('%').toString();
    }

    /** {@code <column> LIKE LOWER(#{pattern}) ESCAPE '!'}: the left side is lower-cased by the caller. */
    static <T> LikeLower<T> likeLower(String pattern) {
        return new LikeLower<>(new Suffixed<>(Lower.of(SqlBuilder.value(pattern)), " ESCAPE '" + LIKE_ESCAPE + "'"));
    }

    static final class LikeLower<T> extends AbstractColumnComparisonCondition<T> {
        LikeLower(BasicColumn right) {
            super(right);
        }

        @Override
        public String operator() {
            return "LIKE";
        }
    }

    /** An expression followed by fixed SQL text (a COLLATE or ESCAPE clause). */
    static class Suffixed<T> extends Wrapped<T> {
        Suffixed(BindableColumn<T> inner, String suffix) {
            super(inner, "", suffix);
        }
    }

    /** An expression between fixed SQL texts. */
    static class Wrapped<T> implements BindableColumn<T> {
        private final BindableColumn<T> inner;
        private final String prefix;
        private final String suffix;

        Wrapped(BindableColumn<T> inner, String prefix, String suffix) {
            this.inner = inner;
            this.prefix = prefix;
            this.suffix = suffix;
        }

        @Override
        public Optional<String> alias() {
            return Optional.empty();
        }

        @Override
        public BindableColumn<T> as(String alias) {
            throw new UnsupportedOperationException("not aliased");
        }

        @Override
        public FragmentAndParameters render(RenderingContext context) {
            return inner.render(context).mapFragment(f -> prefix + f + suffix);
        }
    }
}
