package kfp.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a JSON body the server sent against KFP's swagger (KFP's own files, read from the
 * {@code kfp-api/<version>/} folder of the {@code shared} checkout beside the repository, or from
 * {@code -Dkfp.test.kfp-api=<folder>}; every file of the version, {@code $ref}s followed).
 * A property the definition does not have, a wrong JSON type (int64 must be a string, int32 a
 * number, an enum one of its names, a date-time an RFC 3339 string), or a property the test
 * expects but the body lacks fails with every problem listed.
 *
 * <pre>
 * SwaggerValidator.V2.check("v2beta1Experiment", body, "experiment_id", "display_name");
 * SwaggerValidator.V2.checkError(body);            // googleRpcStatus with code, message, details
 * </pre>
 */
public final class SwaggerValidator {

    private static final ObjectMapper JSON = new ObjectMapper(); // before V1 and V2, which read with it

    public static final SwaggerValidator V1 = new SwaggerValidator("v1beta1", List.of("auth", "error", "experiment",
            "filter", "healthz", "job", "kfp_api_single_file", "parameter", "pipeline", "pipeline.upload",
            "pipeline_spec", "report", "resource_reference", "run", "task", "visualization"));
    public static final SwaggerValidator V2 = new SwaggerValidator("v2beta1", List.of("auth", "experiment", "filter",
            "healthz", "kfp_api_single_file", "pipeline", "pipeline.upload", "recurring_run", "report", "run",
            "runtime_config", "visualization"));

    private final String version;
    private final Map<String, JsonNode> definitions = new HashMap<>();

    private SwaggerValidator(String version, List<String> files) {
        this.version = version;
        Path folder = kfpApiFolder().resolve(version);
        for (String file : files) {
            Path swagger = folder.resolve(file + ".swagger.json");
            try (InputStream in = Files.newInputStream(swagger)) {
                JSON.readTree(in).path("definitions").fields().forEachRemaining(e -> definitions.putIfAbsent(e.getKey(), e.getValue()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read KFP's swagger " + swagger, e);
            }
        }
    }

    /** KFP's swagger files are test data kept outside the repository: {@code ../shared/kfp-api} of its root. */
    private static Path kfpApiFolder() {
        String configured = System.getProperty("kfp.test.kfp-api");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("kfp-api");
            if (Files.isDirectory(dir.resolve("mappers")) && Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("KFP's swagger files not found: expected ../shared/kfp-api beside the"
                + " repository, or -Dkfp.test.kfp-api=<folder>");
    }

    /**
     * Fails unless {@code body} conforms to {@code definition} and has every property named in
     * {@code expected} (top-level names, or JSON pointers such as {@code /experiments/0/created_at}).
     */
    public JsonNode check(String definition, JsonNode body, String... expected) {
        return check(definition, body, Set.of(), expected);
    }

    /**
     * As {@link #check(String, JsonNode, String...)}, allowing the top-level properties {@code extra}
     * the swagger does not document (KFP's healthz bodies).
     */
    public JsonNode check(String definition, JsonNode body, Set<String> extra, String... expected) {
        List<String> problems = new ArrayList<>();
        validate(schema(definition), body, "", problems, extra);
        for (String name : expected) {
            String pointer = name.startsWith("/") ? name : "/" + name;
            if (body.at(pointer).isMissingNode()) {
                problems.add(pointer + ": expected but missing");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(version + " " + definition + " does not match " + body + ":\n  "
                    + String.join("\n  ", problems));
        }
        return body;
    }

    /** An error body: {@code googleRpcStatus} with a code and a message. */
    public JsonNode checkError(JsonNode body) {
        return check("googleRpcStatus", body, "code", "message");
    }

    /** The body of a method answering {@code google.protobuf.Empty}: {@code {}}. */
    public JsonNode checkEmpty(JsonNode body) {
        if (!body.isObject() || body.size() != 0) {
            throw new AssertionError("expected {} but got " + body);
        }
        return body;
    }

    private JsonNode schema(String definition) {
        JsonNode d = definitions.get(definition);
        if (d == null) {
            throw new IllegalArgumentException(version + " swagger has no definition " + definition);
        }
        return d;
    }

    private void validate(JsonNode schema, JsonNode value, String at, List<String> problems, Set<String> extra) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            validate(schema(ref.substring(ref.lastIndexOf('/') + 1)), value, at, problems, extra);
            return;
        }
        String where = at.isEmpty() ? "/" : at;
        if (schema.has("enum")) {
            boolean known = false;
            for (JsonNode option : schema.get("enum")) {
                known |= option.asText().equals(value.asText());
            }
            if (!value.isTextual() || !known) {
                problems.add(where + ": " + value + " is not one of " + schema.get("enum"));
            }
            return;
        }
        String type = schema.path("type").asText("object");
        String format = schema.path("format").asText("");
        switch (type) {
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(where + ": expected a string (" + (format.isEmpty() ? "string" : format) + ") but got " + value);
                } else if (format.equals("date-time")) {
                    try {
                        Instant.parse(value.asText());
                    } catch (DateTimeParseException e) {
                        problems.add(where + ": " + value + " is not an RFC 3339 date-time");
                    }
                } else if ((format.equals("int64") || format.equals("uint64")) && !value.asText().matches("-?\\d+")) {
                    problems.add(where + ": " + value + " is not an integer string");
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(where + ": expected an integer number but got " + value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(where + ": expected a number but got " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(where + ": expected a boolean but got " + value);
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where + ": expected an array but got " + value);
                } else {
                    for (int i = 0; i < value.size(); i++) {
                        validate(schema.get("items"), value.get(i), at + "/" + i, problems, Set.of());
                    }
                }
            }
            default -> validateObject(schema, value, at, problems, extra);
        }
    }

    private void validateObject(JsonNode schema, JsonNode value, String at, List<String> problems, Set<String> extra) {
        if (!value.isObject()) {
            problems.add((at.isEmpty() ? "/" : at) + ": expected an object but got " + value);
            return;
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        if (!at.isEmpty() && schema.path("type").asText("").equals("object") && !schema.has("properties")
                && additional == null) {
            return; // a field documented as a bare object is a google.protobuf.Struct (pipeline_spec): any JSON object
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = at + "/" + field.getKey();
            if (properties.has(field.getKey())) {
                validate(properties.get(field.getKey()), field.getValue(), path, problems, Set.of());
            } else if (additional != null) {
                if (additional.size() > 0) { // a map's values; {} allows anything (Any)
                    validate(additional, field.getValue(), path, problems, Set.of());
                }
            } else if (!schema.has("properties") && schema.path("type").asText("").equals("object")) {
                continue; // a free-form object (google.protobuf.Struct: a pipeline spec) holds anything
            } else if (!extra.contains(field.getKey())) {
                problems.add(path + ": not in the swagger definition");
            }
        }
    }
}
