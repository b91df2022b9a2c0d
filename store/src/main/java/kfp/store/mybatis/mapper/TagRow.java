package kfp.store.mybatis.mapper;

/** One tag of a pipeline or version: the owner's id, the key and the value. */
public final class TagRow {

    private String ownerId;
    private String key;
    private String value;

    public TagRow() {
    }

    public TagRow(String key, String value) {
        this.key = key;
        this.value = value;
    }

    public String getOwnerId() {
        return ownerId;
    }

    public void setOwnerId(String ownerId) {
        this.ownerId = ownerId;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }
}
