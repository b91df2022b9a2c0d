package kfp.store.mybatis.mapper;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.session.Configuration;

/**
 * Which XML catalogs each database schema uses, and how they are loaded.
 *
 * <p>Catalogs live in the top-level {@code mappers/} folder (packaged as {@code kfp/store/mappers/}),
 * one file per store, named after its mapper interface. They are parsed only after the databaseId
 * is set, so vendor variants load; then every mapper method is checked to resolve to a statement,
 * so a missing variant fails at start-up, not at the first call.
 */
public final class MapperCatalog {

    public static final String ROOT = "kfp/store/mappers/";

    /** Shared vendor fragments (namespace {@code dialect}), included by the store catalogs. */
    static final String DIALECT_FRAGMENTS = ROOT + "Dialect.xml";

    /** The API server's database (KFP's {@code mlpipeline}). */
    public static final List<Class<?>> MLPIPELINE = List.of(
            DBStatusMapper.class,
            DefaultExperimentMapper.class,
            ResourceReferenceMapper.class,
            ExperimentMapper.class,
            PipelineMapper.class,
            JobMapper.class,
            RunMapper.class,
            RunCountsMapper.class,
            TaskMapper.class);

    /** The cache server's database (KFP's {@code cachedb}). */
    public static final List<Class<?>> CACHEDB = List.of(
            ExecutionCacheMapper.class);

    private MapperCatalog() {
    }

    /** Parses the fragments and the catalogs of {@code mappers} into a configuration whose databaseId is set. */
    public static void load(Configuration configuration, List<Class<?>> mappers) {
        if (configuration.getDatabaseId() == null) {
            throw new IllegalStateException("databaseId must be set before the mappers are parsed");
        }
        parse(configuration, DIALECT_FRAGMENTS);
        for (Class<?> mapper : mappers) {
            parse(configuration, resourceOf(mapper));
        }
        List<String> missing = unresolvedMethods(configuration, mappers);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("mapper methods without a statement for databaseId "
                    + configuration.getDatabaseId() + ": " + missing);
        }
    }

    public static String resourceOf(Class<?> mapper) {
        return ROOT + mapper.getSimpleName() + ".xml";
    }

    /** Mapper methods that have no statement in the loaded configuration (building pending statements first). */
    public static List<String> unresolvedMethods(Configuration configuration, List<Class<?>> mappers) {
        configuration.getMappedStatementNames(); // resolves cross-file includes; throws on unresolved ones
        List<String> missing = new ArrayList<>();
        for (Class<?> mapper : mappers) {
            for (Method m : mapper.getMethods()) {
                if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                String id = mapper.getName() + "." + m.getName();
                if (!configuration.hasStatement(id)) {
                    missing.add(id);
                }
            }
        }
        return missing;
    }

    private static void parse(Configuration configuration, String resource) {
        InputStream in = MapperCatalog.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("mapper catalog " + resource + " is not on the classpath");
        }
        try (in) {
            new XMLMapperBuilder(in, configuration, resource, configuration.getSqlFragments()).parse();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
