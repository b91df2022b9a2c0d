package kfp.server.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.server.errors.ApiErrors;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Pipeline specs between the text the stores keep (KFP's YAML, one document or a pipeline spec
 * followed by a Kubernetes platform spec after {@code ---}) and the {@code google.protobuf.Struct}
 * the API carries. JSON is YAML, so the same reader takes both; what this server writes is JSON.
 */
public final class PipelineSpecs {

    /** The upload limit (32 MiB) bounds what a spec may hold; SnakeYAML's own default is 3 MB. */
    static final int MAX_CODE_POINTS = 32 << 20;
    static final String PIPELINE_SPEC = "pipeline_spec";
    static final String PLATFORM_SPEC = "platform_spec";

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_CODE_POINTS).build())
            .build());
    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineSpecs() {
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        return options;
    }

    /**
     * The documents of a YAML or JSON text, in order; empty documents are skipped.
     *
     * @throws kfp.server.errors.ApiErrors InvalidArgument naming {@code what} when the text does not parse
     *     or a document is not a mapping
     */
    public static List<ObjectNode> documents(String text, String what) {
        List<JsonNode> parsed = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                parsed.add(it.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports some errors unchecked (duplicate keys, limits); all are the text's fault
            throw ApiErrors.invalidArgument(what + " is not valid YAML or JSON: " + firstLine(e.getMessage()));
        }
        List<ObjectNode> docs = new ArrayList<>();
        for (JsonNode doc : parsed) {
            // an empty document (a lone "---") reads as null or as an empty scalar
            if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isTextual() && doc.asText().isEmpty()) {
                continue;
            }
            if (!doc.isObject()) {
                throw ApiErrors.invalidArgument(what + " must be a YAML or JSON mapping, not " + doc.getNodeType());
            }
            docs.add((ObjectNode) doc);
        }
        return docs;
    }

    /** What a pipeline file holds: KFP's v2 pipeline IR or a v1 Argo Workflow. */
    public enum Kind { V2, V1_ARGO }

    /**
     * A pipeline file checked as KFP checks it before storing: {@code kind}, the v2 spec's
     * {@code pipelineInfo.name} ({@code ""} for Argo) and the parameters KFP keeps beside it
     * (Argo's {@code spec.arguments.parameters} as {@code [{"name":..,"value":..}]}; {@code []} for v2).
     */
    public record Template(Kind kind, String v2Name, String parametersJson) {
    }

    /** MLMD's rule for a v2 pipeline name, as KFP applies it at creation. */
    private static final java.util.regex.Pattern V2_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,127}");

    /**
     * Reads a pipeline file: an Argo Workflow when its first document has an {@code argoproj.io/}
     * apiVersion and kind {@code Workflow}, else v2 when a document has {@code pipelineInfo.name}
     * and {@code root}; anything else is InvalidArgument naming the problem.
     */
    public static Template inspect(String text, String what) {
        List<ObjectNode> docs = documents(text, what);
        if (docs.isEmpty()) {
            throw ApiErrors.invalidArgument(what + " is empty");
        }
        ObjectNode first = docs.get(0);
        if (first.path("apiVersion").asText("").startsWith("argoproj.io/") && first.path("kind").asText("").equals("Workflow")) {
            return new Template(Kind.V1_ARGO, "", argoParameters(first));
        }
        for (ObjectNode doc : docs) {
            JsonNode name = doc.path("pipelineInfo").path("name");
            if (name.isTextual() && !name.asText().isEmpty() && doc.path("root").isObject()) {
                String v2Name = name.asText();
                if (!V2_NAME.matcher(v2Name).matches()) {
                    throw ApiErrors.invalidArgument(what + ": pipelineInfo.name '" + v2Name + "' must be at most 128"
                            + " lowercase letters, digits or '-', starting with a letter or digit");
                }
                return new Template(Kind.V2, v2Name, "[]");
            }
        }
        throw ApiErrors.invalidArgument(what + " is neither a KFP v2 pipeline spec (pipelineInfo.name and root)"
                + " nor an Argo Workflow (apiVersion argoproj.io/..., kind Workflow)");
    }

    private static String argoParameters(ObjectNode workflow) {
        ArrayNode params = JsonNodeFactory.instance.arrayNode();
        for (JsonNode p : workflow.path("spec").path("arguments").path("parameters")) {
            ObjectNode o = params.addObject();
            o.put("name", p.path("name").asText(""));
            if (p.hasNonNull("value")) {
                o.put("value", p.get("value").asText());
            }
        }
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serialises", e);
        }
    }

    /**
     * The API's view of a stored spec: the document itself, or {@code {pipeline_spec, platform_spec}}
     * when a platform spec follows it; {@code null} for an empty text.
     */
    public static Struct toStruct(String manifest) {
        if (manifest == null || manifest.isBlank()) {
            return null;
        }
        List<ObjectNode> docs = documents(manifest, "the stored pipeline spec");
        if (docs.isEmpty()) {
            return null;
        }
        if (docs.size() == 1) {
            return toStruct(docs.get(0));
        }
        ObjectNode both = JsonNodeFactory.instance.objectNode();
        both.set(PIPELINE_SPEC, docs.get(0));
        both.set(PLATFORM_SPEC, docs.get(1));
        return toStruct(both);
    }

    /**
     * The text to store for a spec the API gave: JSON of the spec, or of {@code pipeline_spec} then
     * {@code platform_spec} as two documents when the caller sent the pair.
     */
    public static String toManifest(Struct spec) {
        if (spec == null || spec.getFieldsCount() == 0) {
            return "";
        }
        Map<String, Value> fields = spec.getFieldsMap();
        Value pipeline = fields.get(PIPELINE_SPEC);
        if (pipeline != null && pipeline.hasStructValue() && fields.keySet().stream()
                .allMatch(k -> k.equals(PIPELINE_SPEC) || k.equals(PLATFORM_SPEC))) {
            Value platform = fields.get(PLATFORM_SPEC);
            String first = toJson(pipeline);
            return platform == null || !platform.hasStructValue() ? first : first + "\n---\n" + toJson(platform);
        }
        return toJson(Value.newBuilder().setStructValue(spec).build());
    }

    public static Struct toStruct(ObjectNode node) {
        Struct.Builder b = Struct.newBuilder();
        node.fields().forEachRemaining(e -> b.putFields(e.getKey(), toValue(e.getValue())));
        return b.build();
    }

    public static Value toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (node.isObject()) {
            return Value.newBuilder().setStructValue(toStruct((ObjectNode) node)).build();
        }
        if (node.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            node.forEach(n -> list.addValues(toValue(n)));
            return Value.newBuilder().setListValue(list).build();
        }
        if (node.isBoolean()) {
            return Value.newBuilder().setBoolValue(node.booleanValue()).build();
        }
        if (node.isNumber()) {
            return Value.newBuilder().setNumberValue(node.doubleValue()).build();
        }
        return Value.newBuilder().setStringValue(node.asText()).build();
    }

    public static JsonNode toJsonNode(Value value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (value.getKindCase()) {
            case STRUCT_VALUE -> {
                ObjectNode o = f.objectNode();
                value.getStructValue().getFieldsMap().forEach((k, v) -> o.set(k, toJsonNode(v)));
                yield o;
            }
            case LIST_VALUE -> {
                ArrayNode a = f.arrayNode();
                value.getListValue().getValuesList().forEach(v -> a.add(toJsonNode(v)));
                yield a;
            }
            case BOOL_VALUE -> f.booleanNode(value.getBoolValue());
            case STRING_VALUE -> f.textNode(value.getStringValue());
            // Struct numbers are doubles; whole ones are written as integers, as KFP's Go server does
            case NUMBER_VALUE -> isWhole(value.getNumberValue())
                    ? f.numberNode((long) value.getNumberValue())
                    : f.numberNode(value.getNumberValue());
            case NULL_VALUE, KIND_NOT_SET -> f.nullNode();
        };
    }

    public static String toJson(Value value) {
        try {
            return JSON.writeValueAsString(toJsonNode(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serialises", e);
        }
    }

    private static boolean isWhole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 0x1p53;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
