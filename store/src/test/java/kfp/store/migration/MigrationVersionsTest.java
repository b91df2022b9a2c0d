package kfp.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import kfp.store.Schema;
import kfp.store.dialect.Dialect;
import kfp.store.mybatis.mapper.MapperCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every vendor folder holds the same migrations (version and description) for each schema. */
class MigrationVersionsTest {

    @ParameterizedTest
    @EnumSource(Schema.class)
    void everyVendorHasEveryVersion(Schema schema) {
        Set<String> h2 = migrations(Dialect.H2, schema);
        assertThat(h2).isNotEmpty();
        for (Dialect dialect : Dialect.values()) {
            assertThat(migrations(dialect, schema)).as(dialect + " " + schema).isEqualTo(h2);
        }
        // versions 1 and 2 are KFP's own schema: an adopted KFP database is baselined at one of them
        Set<Integer> versions = h2.stream().map(f -> Integer.parseInt(f.substring(1, f.indexOf("__"))))
                .collect(Collectors.toCollection(TreeSet::new));
        if (schema == Schema.MLPIPELINE) {
            assertThat(versions).contains(1, 2);
        } else {
            assertThat(versions).contains(1);
        }
    }

    private static Set<String> migrations(Dialect dialect, Schema schema) {
        String folder = MapperCatalog.ROOT + dialect.databaseId() + "/" + schema.folder();
        URL url = MigrationVersionsTest.class.getClassLoader().getResource(folder);
        assertThat(url).as(folder).isNotNull();
        String[] files = new File(url.getPath()).list();
        return Arrays.stream(files == null ? new String[0] : files)
                .filter(f -> f.matches("V\\d+__\\w+\\.sql"))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
