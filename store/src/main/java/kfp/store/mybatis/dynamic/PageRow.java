package kfp.store.mybatis.dynamic;

/**
 * One row of a page query: the key of a listed row and the value it sorts by. Page statements
 * select them as {@code "pageKey"} and {@code "pageSort"}.
 */
public final class PageRow {

    private String pageKey;
    private Object pageSort;

    public PageRow() {
    }

    public PageRow(String pageKey, Object pageSort) {
        this.pageKey = pageKey;
        this.pageSort = pageSort;
    }

    public String getPageKey() {
        return pageKey;
    }

    public void setPageKey(String pageKey) {
        this.pageKey = pageKey;
    }

    public Object getPageSort() {
        return pageSort;
    }

    public void setPageSort(Object pageSort) {
        this.pageSort = pageSort;
    }
}
