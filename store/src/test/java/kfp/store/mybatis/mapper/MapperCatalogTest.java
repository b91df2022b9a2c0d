package kfp.store.mybatis.mapper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import kfp.store.Schema;
import kfp.store.dialect.Dialect;
import org.apache.ibatis.session.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Database-free checks of the XML catalogs: each loads for each databaseId with every mapper
 * method resolved, vendor variants are complete, and portable statements hold no vendor syntax.
 */
class MapperCatalogTest {

    private static final Set<String> ALL_IDS = Set.of("h2", "mysql", "postgresql");
    private static final List<String> ELEMENTS = List.of("select", "insert", "update", "delete", "sql");

    /** Vendor-only syntax that must never appear in a statement without a databaseId. */
    private static final Pattern VENDOR_SYNTAX = Pattern.compile(
            "`|ON\\s+DUPLICATE|ON\\s+CONFLICT|GROUP_CONCAT|STRING_AGG|LISTAGG|::|\\bILIKE\\b|REPLACE\\s+INTO"
                    + "|INSERT\\s+IGNORE|MERGE\\s+INTO|\\bDUAL\\b", Pattern.CASE_INSENSITIVE);

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyMapperMethodResolvesForEachDatabase(Dialect dialect) {
        for (Schema schema : Schema.values()) {
            Configuration configuration = new Configuration();
            configuration.setDatabaseId(dialect.databaseId());
            MapperCatalog.load(configuration, schema.mappers()); // throws on any unresolved method
            assertThat(MapperCatalog.unresolvedMethods(configuration, schema.mappers())).isEmpty();
        }
    }

    @Test
    void vendorVariantsAreCompleteAndPortableStatementsArePortable() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String resource : catalogResources()) {
            Map<String, Set<String>> variants = new HashMap<>();
            Document doc = parse(resource);
            for (String tag : ELEMENTS) {
                NodeList nodes = doc.getElementsByTagName(tag);
                for (int i = 0; i < nodes.getLength(); i++) {
                    Element e = (Element) nodes.item(i);
                    String id = e.getAttribute("id");
                    String databaseId = e.getAttribute("databaseId");
                    if (!databaseId.isEmpty() && !ALL_IDS.contains(databaseId)) {
                        problems.add(resource + " " + id + ": unknown databaseId " + databaseId);
                    }
                    variants.computeIfAbsent(id, k -> new TreeSet<>()).add(databaseId);
                    if (databaseId.isEmpty() && VENDOR_SYNTAX.matcher(text(e)).find()) {
                        problems.add(resource + " " + id + ": vendor syntax in a portable statement");
                    }
                }
            }
            variants.forEach((id, ids) -> {
                if (ids.contains("") && ids.size() > 1) {
                    problems.add(resource + " " + id + ": both portable and vendor-split");
                } else if (!ids.contains("") && !ids.equals(ALL_IDS)) {
                    problems.add(resource + " " + id + ": variants for " + ids + ", need " + ALL_IDS);
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyCatalogFileStartsWithAHeaderComment() throws Exception {
        for (String resource : catalogResources()) {
            Document doc = parse(resource);
            Node first = doc.getFirstChild();
            while (first != null && first.getNodeType() == Node.DOCUMENT_TYPE_NODE) {
                first = first.getNextSibling();
            }
            assertThat(first).as(resource).isNotNull();
            assertThat(first.getNodeType()).as(resource + " header comment").isEqualTo(Node.COMMENT_NODE);
        }
    }

    private static List<String> catalogResources() {
        List<String> resources = new ArrayList<>(List.of(MapperCatalog.DIALECT_FRAGMENTS));
        for (Schema schema : Schema.values()) {
            schema.mappers().forEach(m -> resources.add(MapperCatalog.resourceOf(m)));
        }
        return resources;
    }

    private static Document parse(String resource) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        try (InputStream in = MapperCatalogTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return f.newDocumentBuilder().parse(in);
        }
    }

    private static String text(Element e) {
        return e.getTextContent();
    }
}
