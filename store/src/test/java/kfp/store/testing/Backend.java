package kfp.store.testing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import kfp.store.dialect.Dialect;

/**
 * Where the test databases of one vendor come from. In order: a server named by
 * {@code KFP_TEST_<VENDOR>_URL} (or {@code -Dkfp.test.<vendor>.url}); else a Testcontainers
 * container when a Docker engine answers; else none, and the vendor's tests are skipped, or fail
 * when {@code KFP_TEST_REQUIRE} ({@code -Dkfp.test.require}) names it or says {@code all}.
 */
enum Backend {
    H2(Dialect.H2),
    MYSQL(Dialect.MYSQL),
    POSTGRESQL(Dialect.POSTGRESQL);

    final Dialect dialect;

    Backend(Dialect dialect) {
        this.dialect = dialect;
    }

    String id() {
        return dialect.databaseId();
    }

    /** A setting by environment variable {@code KFP_TEST_<BACKEND>_<NAME>} or property {@code kfp.test.<backend>.<name>}. */
    String setting(String name, String fallback) {
        String prop = System.getProperty("kfp.test." + id() + "." + name.toLowerCase(Locale.ROOT));
        if (prop != null && !prop.isBlank()) {
            return prop;
        }
        String env = System.getenv("KFP_TEST_" + name() + "_" + name.toUpperCase(Locale.ROOT));
        return env != null && !env.isBlank() ? env : fallback;
    }

    boolean required() {
        String v = System.getProperty("kfp.test.require", System.getenv().getOrDefault("KFP_TEST_REQUIRE", ""));
        Set<String> names = Arrays.stream(v.split(",")).map(String::trim).map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return names.contains("all") || names.contains(id());
    }
}
