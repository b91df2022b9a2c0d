package kfp.store.api;

import java.util.List;

/**
 * One page of a list: the items, the number of all items matching the scope and filter (read in
 * the same snapshot as the page), and the token of the next page ({@code ""} when this is the last).
 */
public record ListResult<T>(List<T> items, int totalSize, String nextPageToken) {

    public ListResult {
        items = List.copyOf(items);
        nextPageToken = nextPageToken == null ? "" : nextPageToken;
    }
}
