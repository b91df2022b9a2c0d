package kfp.server.convert;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import kfp.server.errors.ApiErrors;
import kfp.server.proto.v1beta1.ResourceKey;
import kfp.store.api.ListOptions;
import kfp.store.api.ResourceType;

/**
 * The common list parameters of every ListXxx request ({@code page_size}, {@code sort_by},
 * {@code filter}, {@code page_token}) as the stores take them. The stores validate them (a
 * negative page size, an unknown sort or filter field, a foreign page token are InvalidArgument).
 */
public final class ListRequests {

    private ListRequests() {
    }

    /**
     * {@code filter} is URL-decoded once more, as KFP does on both transports: the UI and the SDK
     * send the filter JSON URL-encoded inside the (itself encoded) query string.
     */
    public static ListOptions options(int pageSize, String sortBy, String filter, String pageToken) {
        return new ListOptions(pageSize, sortBy, decodeFilter(filter), pageToken);
    }

    static String decodeFilter(String filter) {
        if (filter == null || filter.isEmpty()) {
            return "";
        }
        try {
            return URLDecoder.decode(filter, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.invalidArgument("filter is not a URL-encoded JSON Filter: " + e.getMessage());
        }
    }

    /** What a v1 list is scoped by: a resource type and its id (a namespace's may be empty). */
    public record Scope(ResourceType type, String id) {
    }

    /**
     * A v1 list's {@code resource_reference_key}: absent is the (single-user: only) namespace; its
     * type must be one of {@code allowed} (else InvalidArgument naming {@code listed}, e.g. "runs"),
     * and a scope other than a namespace needs an id.
     */
    public static Scope scopeV1(boolean present, ResourceKey key, String listed, ResourceType... allowed) {
        if (!present) {
            return new Scope(ResourceType.NAMESPACE, "");
        }
        List<ResourceType> types = Arrays.asList(allowed);
        ResourceType type = types.stream().filter(t -> t.name().equals(key.getType().name())).findFirst()
                .orElseThrow(() -> ApiErrors.invalidArgument(listed + " are listed by "
                        + String.join(" or ", types.stream().map(Enum::name).toList()) + ", not by " + key.getType()));
        if (type != ResourceType.NAMESPACE && key.getId().isEmpty()) {
            throw ApiErrors.invalidArgument("resource_reference_key.id must not be empty");
        }
        return new Scope(type, key.getId());
    }
}
