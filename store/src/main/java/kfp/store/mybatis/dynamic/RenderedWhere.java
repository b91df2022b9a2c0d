package kfp.store.mybatis.dynamic;

import java.util.Map;

/**
 * A WHERE clause rendered by MyBatis Dynamic SQL for an XML statement: {@code ${q.pageWhere.clause}}
 * inserts the text (column names from the field maps, {@code #{...}} placeholders), whose
 * placeholders then bind {@link #getParameters()}. Empty when nothing restricts the list.
 * The clause is a complete WHERE (MyBatis Dynamic SQL drops the parentheses of a lone OR group):
 * never append conditions to it in XML. To combine with conditions the XML writes, use
 * {@link #getTerm()} inside a {@code <where>} element instead.
 */
public final class RenderedWhere {

    static final RenderedWhere NONE = new RenderedWhere("", Map.of());

    private static final String WHERE = "where ";

    private final String clause;
    private final Map<String, Object> parameters;

    RenderedWhere(String clause, Map<String, Object> parameters) {
        if (!clause.isEmpty() && !clause.startsWith(WHERE)) {
            throw new IllegalArgumentException("not a rendered WHERE clause: " + clause);
        }
        this.clause = clause;
        this.parameters = Map.copyOf(parameters);
    }

    /** {@code "where ..."} or {@code ""}. */
    public String getClause() {
        return clause;
    }

    /**
     * The same conditions as one more term of a WHERE the statement writes: {@code AND (...)}, or
     * {@code ""}. Inside a {@code <where>} element MyBatis drops a leading AND.
     */
    public String getTerm() {
        return clause.isEmpty() ? "" : "AND (" + clause.substring(WHERE.length()) + ")";
    }

    public Map<String, Object> getParameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return clause + " " + parameters;
    }
}
