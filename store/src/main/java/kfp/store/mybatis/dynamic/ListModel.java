package kfp.store.mybatis.dynamic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import kfp.store.list.Field;
import kfp.store.list.Predicate;
import kfp.store.list.SortKey;
import org.mybatis.dynamic.sql.AndOrCriteriaGroup;
import org.mybatis.dynamic.sql.BindableColumn;

/**
 * A listable resource: its name (checked in page tokens), its key column (the unique tie-breaker
 * of every sort), its field map (KFP's API names; the allow-list of filter and sort fields), its default
 * sort, and optional extensions: sorts that are not plain columns ({@code metric:<name>}) and
 * filter keys with a prefix ({@code tags.<key>}). Instances are data; see {@link ListModels}.
 */
public final class ListModel {

    /** Builds the criterion for a prefixed filter key, e.g. a tag sub-query; gets the key after the prefix. */
    public interface PrefixFilter extends BiFunction<String, Predicate, AndOrCriteriaGroup> {
    }

    private final String name;
    private final BindableColumn<String> key;
    private final Map<String, Field> fields;
    private final Map<String, Field> sortFields;
    private final String defaultSort;
    private final Map<String, Function<String, SortKey>> dynamicSorts;
    private final Map<String, PrefixFilter> prefixFilters;

    private ListModel(Builder b) {
        this.name = b.name;
        this.key = b.key;
        this.fields = Map.copyOf(b.fields);
        Map<String, Field> sorts = new LinkedHashMap<>();
        b.fields.forEach((n, f) -> sorts.putIfAbsent(n.toLowerCase(Locale.ROOT), f));
        this.sortFields = Map.copyOf(sorts);
        this.defaultSort = b.defaultSort;
        this.dynamicSorts = Map.copyOf(b.dynamicSorts);
        this.prefixFilters = Map.copyOf(b.prefixFilters);
        if (!fields.containsKey(defaultSort)) {
            throw new IllegalArgumentException("default sort " + defaultSort + " is not a field of " + name);
        }
    }

    public static Builder builder(String name, BindableColumn<String> key) {
        return new Builder(name, key);
    }

    /** A copy with more extensions (the run store adds its metric sort this way). */
    public Builder toBuilder() {
        Builder b = new Builder(name, key);
        b.fields.putAll(fields);
        b.defaultSort = defaultSort;
        b.dynamicSorts.putAll(dynamicSorts);
        b.prefixFilters.putAll(prefixFilters);
        return b;
    }

    public String name() {
        return name;
    }

    public BindableColumn<String> key() {
        return key;
    }

    /** The field a filter key names (exact match, as KFP), if any. */
    public Optional<Field> field(String apiName) {
        return Optional.ofNullable(fields.get(apiName));
    }

    public Map<String, Field> fields() {
        return fields;
    }

    public String defaultSort() {
        return defaultSort;
    }

    /** The field a sort name names, ignoring case (KFP lower-cases sort_by, so camelCase aliases sort too). */
    Optional<Field> sortField(String name) {
        return Optional.ofNullable(sortFields.get(name.toLowerCase(Locale.ROOT)));
    }

    /** A dynamic sort key for {@code name} ({@code <prefix><argument>}), if a prefix matches. */
    Optional<SortKey> dynamicSort(String name) {
        for (Map.Entry<String, Function<String, SortKey>> e : dynamicSorts.entrySet()) {
            if (name.regionMatches(true, 0, e.getKey(), 0, e.getKey().length())) {
                return Optional.of(e.getValue().apply(name.substring(e.getKey().length())));
            }
        }
        return Optional.empty();
    }

    Optional<Map.Entry<String, PrefixFilter>> prefixFilter(String key) {
        return prefixFilters.entrySet().stream().filter(e -> key.startsWith(e.getKey())).findFirst();
    }

    public static final class Builder {
        private final String name;
        private final BindableColumn<String> key;
        private final Map<String, Field> fields = new LinkedHashMap<>();
        private String defaultSort;
        private final Map<String, Function<String, SortKey>> dynamicSorts = new LinkedHashMap<>();
        private final Map<String, PrefixFilter> prefixFilters = new LinkedHashMap<>();

        private Builder(String name, BindableColumn<String> key) {
            this.name = Objects.requireNonNull(name);
            this.key = Objects.requireNonNull(key);
        }

        /** Adds a field under each of its API names; the first field added is the default sort unless set. */
        public Builder field(Field f) {
            for (String n : f.names()) {
                if (fields.putIfAbsent(n, f) != null) {
                    throw new IllegalArgumentException("field " + n + " mapped twice in " + name);
                }
            }
            return this;
        }

        public Builder defaultSort(String apiName) {
            this.defaultSort = apiName;
            return this;
        }

        /**
         * Sorts named {@code <prefix><argument>} (prefix matched ignoring case, argument kept as
         * given) resolve through {@code keyFor}, which validates the argument (throw
         * InvalidArgumentException) and returns the key. The argument travels in page tokens.
         */
        public Builder dynamicSort(String prefix, Function<String, SortKey> keyFor) {
            dynamicSorts.put(prefix, keyFor);
            return this;
        }

        /** Filter keys starting with {@code prefix} become the criterion {@code filter} builds. */
        public Builder prefixFilter(String prefix, PrefixFilter filter) {
            prefixFilters.put(prefix, filter);
            return this;
        }

        public ListModel build() {
            return new ListModel(this);
        }
    }

    @Override
    public String toString() {
        return name + new ArrayList<>(fields.keySet());
    }
}
