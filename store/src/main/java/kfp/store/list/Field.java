package kfp.store.list;

import java.util.List;
import java.util.Objects;
import org.mybatis.dynamic.sql.BindableColumn;

/**
 * One entry of a resource's field map (KFP's API field names): the API names that address it, the column, and
 * how it compares and sorts. The map is the allow-list: only these columns ever reach SQL.
 *
 * <ul>
 *   <li>{@link Kind#STRING} fields take string filter values, {@link Kind#INTEGER} fields take
 *       int, long or timestamp values (epoch seconds).</li>
 *   <li>{@code caseInsensitive} (names, descriptions): EQUALS/NOT_EQUALS/IN and sorting ignore
 *       case, through {@code lowerColumn} (a generated, indexed lower-case column) when there is
 *       one, else {@code LOWER(column)}. IS_SUBSTRING always ignores case.</li>
 *   <li>{@code longText}: the column may be longer than any database sorts exactly (MySQL sorts
 *       by the first {@code max_sort_length} bytes), so sorting and its cursor use the first
 *       {@value #SORT_PREFIX_CHARS} characters, then the key.</li>
 *   <li>{@code nullable}: NULLs sort last in both directions.</li>
 * </ul>
 */
public final class Field {

    /** Characters of a long text that sorting looks at (≤ 1020 bytes in UTF-8, under MySQL's 1024). */
    public static final int SORT_PREFIX_CHARS = 255;

    public enum Kind { STRING, INTEGER }

    private final List<String> names;
    private final BindableColumn<?> column;
    private final Kind kind;
    private final boolean caseInsensitive;
    private final BindableColumn<?> lowerColumn;
    private final boolean nullable;
    private final boolean longText;

    private Field(List<String> names, BindableColumn<?> column, Kind kind, boolean caseInsensitive,
            BindableColumn<?> lowerColumn, boolean nullable, boolean longText) {
        this.names = List.copyOf(names);
        this.column = Objects.requireNonNull(column);
        this.kind = kind;
        this.caseInsensitive = caseInsensitive;
        this.lowerColumn = lowerColumn;
        this.nullable = nullable;
        this.longText = longText;
    }

    public static Field string(BindableColumn<String> column, String... names) {
        return new Field(List.of(names), column, Kind.STRING, false, null, false, false);
    }

    public static Field integer(BindableColumn<Long> column, String... names) {
        return new Field(List.of(names), column, Kind.INTEGER, false, null, false, false);
    }

    /** Compares and sorts ignoring case, with {@code LOWER(column)}. */
    public Field caseInsensitive() {
        return new Field(names, column, kind, true, lowerColumn, nullable, longText);
    }

    /** Compares and sorts ignoring case through a generated lower-case column that indexes can serve. */
    public Field caseInsensitive(BindableColumn<String> generatedLower) {
        return new Field(names, column, kind, true, generatedLower, nullable, longText);
    }

    public Field nullable() {
        return new Field(names, column, kind, caseInsensitive, lowerColumn, true, longText);
    }

    public Field longText() {
        return new Field(names, column, kind, caseInsensitive, lowerColumn, nullable, true);
    }

    public List<String> names() {
        return names;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isCaseInsensitive() {
        return caseInsensitive;
    }

    public boolean isNullable() {
        return nullable;
    }

    public boolean isLongText() {
        return longText;
    }

    public BindableColumn<?> column() {
        return column;
    }

    /** The generated lower-case column of a case-insensitive field, or null ({@code LOWER(column)} then). */
    public BindableColumn<?> lowerColumn() {
        return lowerColumn;
    }

    @Override
    public String toString() {
        return names.get(0);
    }
}
