package kfp.store.api;

/**
 * A list request as the API receives it: page size, {@code sort_by}, {@code filter} (the JSON of
 * KFP's v1 or v2 Filter message, already URL-decoded) and {@code page_token}. The store validates
 * all of it (InvalidArgumentException); empty strings and nulls mean "not given".
 *
 * <p>Page size: negative is an error, 0 means 20, more than 200 means 200. A page token carries
 * the sort and filter of the first page; a sort or filter sent with it must match.
 */
public record ListOptions(int pageSize, String sortBy, String filter, String pageToken) {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 200;

    public ListOptions {
        sortBy = sortBy == null ? "" : sortBy;
        filter = filter == null ? "" : filter;
        pageToken = pageToken == null ? "" : pageToken;
    }

    public static ListOptions firstPage(int pageSize) {
        return new ListOptions(pageSize, "", "", "");
    }

    public ListOptions withSortBy(String s) {
        return new ListOptions(pageSize, s, filter, pageToken);
    }

    public ListOptions withFilter(String f) {
        return new ListOptions(pageSize, sortBy, f, pageToken);
    }

    public ListOptions withPageToken(String t) {
        return new ListOptions(pageSize, sortBy, filter, t);
    }

    /** The page size after KFP's rules (0 → 20, above 200 → 200); negative is an error. */
    public int effectivePageSize() {
        if (pageSize < 0) {
            throw new InvalidArgumentException("The page size should be greater than 0. Got " + pageSize);
        }
        return pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
    }
}
