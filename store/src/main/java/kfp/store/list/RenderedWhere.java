package kfp.store.list;

import java.util.Map;

/**
 * A WHERE clause rendered by MyBatis Dynamic SQL for an XML statement: {@code ${q.pageWhere.clause}}
 * inserts the text (column names from the field maps, {@code #{...}} placeholders), whose
 * placeholders then bind {@link #getParameters()}. Empty when nothing restricts the list.
 * The clause is a complete WHERE (MyBatis Dynamic SQL drops the parentheses of a lone OR group):
 * never append conditions to it in XML; put them in the {@link Scope} instead.
 */
public final class RenderedWhere {

    static final RenderedWhere NONE = new RenderedWhere("", Map.of());

    private final String clause;
    private final Map<String, Object> parameters;

    RenderedWhere(String clause, Map<String, Object> parameters) {
        this.clause = clause;
        this.parameters = Map.copyOf(parameters);
    }

    /** {@code "where ..."} or {@code ""}. */
    public String getClause() {
        return clause;
    }

    public Map<String, Object> getParameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return clause + " " + parameters;
    }
}
