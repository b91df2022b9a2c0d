package kfp.store.list;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import kfp.store.api.InvalidArgumentException;

/**
 * The opaque {@code next_page_token}: URL-safe base64 of a JSON cursor plus a check sum.
 *
 * <p>The cursor names the list (model, scope digest, sort, direction, filter) and the last row
 * returned (its sort value and key); the next page starts strictly after that row. Nothing in a
 * token reaches SQL as text: the sort name is resolved again through the field map, the filter is
 * parsed and validated again, and the values are bound. The check sum (HMAC over the JSON with a
 * fixed key) makes a truncated or edited token fail as InvalidArgument instead of silently
 * listing something else; it is an integrity check, not a secret.
 */
public final class PageToken {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CHECK_KEY = "kfp-store page token v1".getBytes(StandardCharsets.UTF_8);
    private static final int VERSION = 1;

    private final String model;
    private final String scope;
    private final String sort;
    private final boolean desc;
    private final JsonNode filter;
    private final String key;
    private final JsonNode sortValue;

    /** A token's fields as they travel (tests forge signed tokens with it). */
    PageToken(String model, String scope, String sort, boolean desc, JsonNode filter, String key, JsonNode sortValue) {
        this.model = model;
        this.scope = scope;
        this.sort = sort;
        this.desc = desc;
        this.filter = filter;
        this.key = key;
        this.sortValue = sortValue;
    }

    /**
     * The token of the page after the row {@code key} whose sort value is {@code sortValue}, in the
     * list of {@code model} within the scope whose digest is {@code scope}.
     */
    public static PageToken after(String model, String scope, SortKey sortKey, boolean desc, Filter filter,
            String key, Object sortValue) {
        return new PageToken(model, scope, sortKey.name(), desc, filter.toJson(), key, Cursors.toJson(sortKey, sortValue));
    }

    public String encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", VERSION);
        n.put("m", model);
        n.put("x", scope);
        n.put("s", sort);
        n.put("d", desc);
        n.set("f", filter);
        n.put("k", key);
        n.set("c", sortValue);
        String body = n.toString();
        String text = body + "\n" + check(body);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The token a client sent back; a malformed, truncated or edited one is InvalidArgument. */
    public static PageToken decode(String token) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int nl = text.lastIndexOf('\n');
        if (nl < 0 || !check(text.substring(0, nl)).equals(text.substring(nl + 1))) {
            throw invalid();
        }
        try {
            JsonNode n = JSON.readTree(text.substring(0, nl));
            if (n.path("v").asInt() != VERSION || !n.path("m").isTextual() || !n.path("x").isTextual()
                    || !n.path("s").isTextual() || !n.path("d").isBoolean() || !n.path("f").isObject()
                    || !n.path("k").isTextual() || !n.has("c")) {
                throw invalid();
            }
            return new PageToken(n.get("m").asText(), n.get("x").asText(), n.get("s").asText(),
                    n.get("d").asBoolean(), n.get("f"), n.get("k").asText(), n.get("c"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid();
        }
    }

    /** The name of the listed resource's model. */
    public String model() {
        return model;
    }

    /** The digest of the scope the list had. */
    public String scope() {
        return scope;
    }

    /** The sort name, to resolve again through the field map. */
    public String sort() {
        return sort;
    }

    public boolean desc() {
        return desc;
    }

    /** The filter, parsed and validated again. */
    public Filter filter() {
        return Filter.fromJson(filter);
    }

    /** The key of the last row returned. */
    public String key() {
        return key;
    }

    /** The last row's sort value read as {@code sortKey}'s kind (null for NULL); a value of another kind is a forged token. */
    public Object sortValue(SortKey sortKey) {
        return Cursors.fromJson(sortKey, sortValue);
    }

    private static String check(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CHECK_KEY, "HmacSHA256"));
            byte[] sum = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sum, 0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static InvalidArgumentException invalid() {
        return new InvalidArgumentException("Invalid page token");
    }
}
