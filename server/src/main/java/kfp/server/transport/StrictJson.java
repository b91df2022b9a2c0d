package kfp.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Request JSON read as grpc-gateway's protojson reads it, ahead of protobuf's JSON parser, which is
 * more lenient: a value of the wrong JSON type for its field ({@code {"display_name":7}}, a string
 * for a bool, a scalar for a message or a list) is an error naming the field. Also merges the two
 * objects the HTTP transcoding may make of one message field, one under its proto name (the body)
 * and one under its JSON name (path variables such as {@code {pipeline_version.pipeline_id}}).
 */
final class StrictJson implements GrpcJsonMarshaller {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GrpcJsonMarshaller delegate;

    StrictJson(GrpcJsonMarshaller delegate) {
        this.delegate = delegate;
    }

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream os) throws IOException {
        delegate.serializeMessage(marshaller, message, os);
    }

    @Override
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream is) throws IOException {
        byte[] bytes = is.readAllBytes();
        if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<T> p && p.getMessagePrototype() instanceof Message m) {
            JsonNode tree;
            try {
                tree = JSON.readTree(bytes);
            } catch (IOException e) {
                tree = null; // the parser below reports malformed JSON
            }
            if (tree != null && tree.isObject()) {
                if (check((ObjectNode) tree, m.getDescriptorForType(), "")) {
                    bytes = JSON.writeValueAsBytes(tree);
                }
            }
        }
        return delegate.deserializeMessage(marshaller, new ByteArrayInputStream(bytes));
    }

    /** Checks an object against its message; returns whether it merged fields (and so changed). */
    private static boolean check(ObjectNode object, Descriptor message, String at) throws IOException {
        boolean changed = false;
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            FieldDescriptor f = field(message, key);
            if (f == null || !object.has(key)) {
                continue; // unknown fields are the parser's to refuse
            }
            String other = key.equals(f.getName()) ? f.getJsonName() : f.getName();
            if (!other.equals(key) && object.has(other)) {
                JsonNode a = object.get(f.getName());
                JsonNode b = object.get(f.getJsonName());
                if (a.isObject() && b.isObject()) {
                    merge((ObjectNode) a, (ObjectNode) b);
                    object.remove(f.getJsonName());
                    changed = true;
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldDescriptor f = field(message, e.getKey());
            if (f != null) {
                changed |= checkField(f, e.getValue(), at + e.getKey());
            }
        }
        return changed;
    }

    private static boolean checkField(FieldDescriptor f, JsonNode value, String at) throws IOException {
        if (value.isNull()) {
            return false;
        }
        if (f.isMapField()) {
            expect(value.isObject(), at, "an object", value);
            FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
            boolean changed = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                changed |= checkValue(valueField, e.getValue(), at + "." + e.getKey());
            }
            return changed;
        }
        if (f.isRepeated()) {
            expect(value.isArray(), at, "a list", value);
            boolean changed = false;
            for (int i = 0; i < value.size(); i++) {
                changed |= checkValue(f, value.get(i), at + "[" + i + "]");
            }
            return changed;
        }
        return checkValue(f, value, at);
    }

    private static boolean checkValue(FieldDescriptor f, JsonNode value, String at) throws IOException {
        if (value.isNull()) {
            return false;
        }
        switch (f.getJavaType()) {
            case STRING, BYTE_STRING -> expect(value.isTextual(), at, "a string", value);
            case BOOLEAN -> expect(value.isBoolean(), at, "true or false", value);
            case INT, LONG, FLOAT, DOUBLE -> expect(value.isNumber() || value.isTextual(), at, "a number", value);
            case ENUM -> expect(value.isTextual() || value.isIntegralNumber(), at, "an enum name", value);
            case MESSAGE -> {
                if (f.getMessageType().getFullName().startsWith("google.protobuf.")) {
                    return false; // well-known types have their own JSON forms (times, Struct, Value, Any, ...)
                }
                expect(value.isObject(), at, "an object", value);
                return check((ObjectNode) value, f.getMessageType(), at + ".");
            }
            default -> {
            }
        }
        return false;
    }

    private static void expect(boolean ok, String at, String what, JsonNode value) throws IOException {
        if (!ok) {
            throw new IOException("field " + at + " must be " + what + ", not " + value.getNodeType().name().toLowerCase()
                    + " " + abbreviate(value.toString()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static FieldDescriptor field(Descriptor message, String key) {
        FieldDescriptor f = message.findFieldByName(key);
        if (f != null) {
            return f;
        }
        for (FieldDescriptor candidate : message.getFields()) {
            if (candidate.getJsonName().equals(key)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * {@code b}'s fields into {@code a}, nested objects merged; on a clash {@code b}'s value wins: it
     * holds the path variables, which grpc-gateway also sets over the body's.
     */
    private static void merge(ObjectNode a, ObjectNode b) {
        b.fields().forEachRemaining(e -> {
            JsonNode mine = a.get(e.getKey());
            if (mine != null && mine.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) mine, (ObjectNode) e.getValue());
            } else {
                a.set(e.getKey(), e.getValue());
            }
        });
    }
}
