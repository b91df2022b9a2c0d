package kfp.server.convert;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import kfp.server.errors.ApiErrors;
import kfp.store.api.ListOptions;

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
}
