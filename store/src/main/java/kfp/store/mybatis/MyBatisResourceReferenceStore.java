package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.NotFoundException;
import kfp.store.api.ResourceReference;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.ResourceType;
import kfp.store.mybatis.mapper.ResourceReferenceMapper;
import kfp.store.mybatis.mapper.ResourceReferenceRow;

/** {@link ResourceReferenceStore} over {@code mappers/ResourceReferenceMapper.xml}. */
@Singleton
@Transactional
public class MyBatisResourceReferenceStore implements ResourceReferenceStore {

    private final ResourceReferenceMapper mapper;

    @Inject
    MyBatisResourceReferenceStore(ResourceReferenceMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public ResourceReference getResourceReference(String resourceId, ResourceType resourceType, ResourceType referenceType) {
        ResourceReferenceRow row = mapper.selectReference(resourceId, resourceType.stored(), referenceType.stored());
        if (row == null) {
            throw new NotFoundException("Resource ID: " + resourceId + " Resource Type: " + resourceType.stored()
                    + " Reference Type: " + referenceType.stored() + " not found");
        }
        return row.toReference();
    }

    @Override
    public void createResourceReferences(List<ResourceReference> references) {
        if (references.isEmpty()) {
            return;
        }
        List<ResourceReferenceRow> rows = new ArrayList<>(references.size());
        Set<List<Object>> keys = new HashSet<>();
        for (ResourceReference r : references) {
            if (!keys.add(List.of(r.resourceUuid(), r.resourceType(), r.referenceType()))) {
                throw duplicate(r);
            }
            StringColumn.REFERENCE_RESOURCE_ID.check(r.resourceUuid());
            StringColumn.REFERENCE_ID.check(r.referenceUuid());
            StringColumn.REFERENCE_NAME.check(r.referenceName());
            requireExists(r.referenceType(), r.referenceUuid());
            rows.add(ResourceReferenceRow.of(r));
        }
        SqlErrors.insertUnique(() -> mapper.insertReferences(rows), e -> duplicate(references.get(0)));
    }

    private static AlreadyExistsException duplicate(ResourceReference r) {
        return new AlreadyExistsException(r.resourceType().stored() + " " + r.resourceUuid()
                + " already has a reference of type " + r.referenceType().stored());
    }

    /** Namespaces are Kubernetes objects, not rows: every namespace exists as far as the store knows. */
    @Override
    public void requireExists(ResourceType type, String id) {
        if (type == ResourceType.NAMESPACE) {
            return;
        }
        if (mapper.countReferenced(type.stored(), id) == 0) {
            throw new NotFoundException(type.stored() + " " + id + " not found");
        }
    }

    @Override
    public void deleteResourceReferences(String id, ResourceType type) {
        deleteResourceReferences(List.of(id), type);
    }

    @Override
    public void deleteResourceReferences(Collection<String> ids, ResourceType type) {
        if (ids.isEmpty()) {
            return;
        }
        mapper.deleteReferencesFrom(ids, type.stored());
        mapper.deleteReferencesTo(ids, type.stored());
    }

    @Override
    public List<ResourceReference> listResourceReferences(ResourceType resourceType, Collection<String> resourceIds) {
        if (resourceIds.isEmpty()) {
            return List.of();
        }
        return mapper.listReferencesOf(resourceType.stored(), resourceIds).stream()
                .map(ResourceReferenceRow::toReference).toList();
    }
}
