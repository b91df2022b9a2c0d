package kfp.store.mybatis.mapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kfp.store.api.InternalException;
import kfp.store.api.Relationship;
import kfp.store.api.ResourceReference;
import kfp.store.api.ResourceType;

/** A {@code resource_references} row as stored: enum columns as KFP's strings, and the JSON payload. */
public final class ResourceReferenceRow {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String resourceUuid;
    private String resourceType;
    private String referenceUuid;
    private String referenceName;
    private String referenceType;
    private String relationship;
    private String payload;

    public ResourceReferenceRow() {
    }

    public static ResourceReferenceRow of(ResourceReference r) {
        ResourceReferenceRow row = new ResourceReferenceRow();
        row.resourceUuid = r.resourceUuid();
        row.resourceType = r.resourceType().stored();
        row.referenceUuid = r.referenceUuid();
        row.referenceName = r.referenceName();
        row.referenceType = r.referenceType().stored();
        row.relationship = r.relationship().stored();
        row.payload = payloadOf(r);
        return row;
    }

    /** KFP's payload: the reference as JSON with Go's field names, its own Payload empty. */
    public static String payloadOf(ResourceReference r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ResourceUUID", r.resourceUuid());
        n.put("ResourceType", r.resourceType().stored());
        n.put("ReferenceUUID", r.referenceUuid());
        n.put("ReferenceName", r.referenceName());
        n.put("ReferenceType", r.referenceType().stored());
        n.put("Relationship", r.relationship().stored());
        n.put("Payload", "");
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new InternalException("cannot write a reference payload", e);
        }
    }

    public ResourceReference toReference() {
        return new ResourceReference(resourceUuid, ResourceType.fromStored(resourceType), referenceUuid,
                referenceName, ResourceType.fromStored(referenceType), Relationship.fromStored(relationship));
    }

    public String getResourceUuid() {
        return resourceUuid;
    }

    public void setResourceUuid(String v) {
        resourceUuid = v;
    }

    public String getResourceType() {
        return resourceType;
    }

    public void setResourceType(String v) {
        resourceType = v;
    }

    public String getReferenceUuid() {
        return referenceUuid;
    }

    public void setReferenceUuid(String v) {
        referenceUuid = v;
    }

    public String getReferenceName() {
        return referenceName;
    }

    public void setReferenceName(String v) {
        referenceName = v;
    }

    public String getReferenceType() {
        return referenceType;
    }

    public void setReferenceType(String v) {
        referenceType = v;
    }

    public String getRelationship() {
        return relationship;
    }

    public void setRelationship(String v) {
        relationship = v;
    }

    public String getPayload() {
        return payload;
    }

    public void setPayload(String v) {
        payload = v;
    }
}
