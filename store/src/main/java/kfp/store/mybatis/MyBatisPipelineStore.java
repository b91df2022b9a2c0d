package kfp.store.mybatis;

import static org.mybatis.dynamic.sql.SqlBuilder.and;
import static org.mybatis.dynamic.sql.SqlBuilder.isEqualTo;
import static org.mybatis.dynamic.sql.SqlBuilder.isIn;
import static org.mybatis.dynamic.sql.SqlBuilder.select;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.Clock;
import kfp.store.api.FilterContext;
import kfp.store.api.IdGenerator;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineAndVersion;
import kfp.store.api.PipelineStatus;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.api.ResourceType;
import kfp.store.list.Operation;
import kfp.store.mybatis.dynamic.ListEngine;
import kfp.store.mybatis.dynamic.ListModel;
import kfp.store.mybatis.dynamic.ListModels;
import kfp.store.mybatis.dynamic.Scope;
import kfp.store.mybatis.dynamic.Tables;
import kfp.store.mybatis.mapper.PipelineMapper;
import kfp.store.mybatis.mapper.TagRow;
import org.mybatis.dynamic.sql.BindableColumn;

/** {@link PipelineStore} over {@code mappers/PipelineMapper.xml}. */
@Singleton
@Transactional
public class MyBatisPipelineStore implements PipelineStore {

    static final int MAX_TAGS = 20;

    /** v2 pipeline lists: the field map plus {@code tags.<key>}. */
    static final ListModel PIPELINES_WITH_TAGS = ListModels.PIPELINES.toBuilder()
            .prefixFilter("tags.", tagFilter(Tables.PIPELINE_TAGS, Tables.PIPELINES.uuid)::apply)
            .build();

    static final ListModel VERSIONS_WITH_TAGS = ListModels.PIPELINE_VERSIONS.toBuilder()
            .prefixFilter("tags.", tagFilter(Tables.PIPELINE_VERSION_TAGS, Tables.PIPELINE_VERSIONS.uuid)::apply)
            .build();

    private final PipelineMapper mapper;
    private final ListEngine lists;
    private final Clock clock;
    private final IdGenerator ids;
    private final TagTable pipelineTags;
    private final TagTable versionTags;
    private final Editable<Pipeline> pipelines;
    private final Editable<PipelineVersion> versions;

    @Inject
    MyBatisPipelineStore(PipelineMapper mapper, ListEngine lists, Clock clock, IdGenerator ids) {
        this.mapper = mapper;
        this.lists = lists;
        this.clock = clock;
        this.ids = ids;
        this.pipelineTags = new TagTable(mapper::selectPipelineTags, mapper::upsertPipelineTags, mapper::deletePipelineTagsExcept);
        this.versionTags = new TagTable(mapper::selectVersionTags, mapper::upsertVersionTags, mapper::deleteVersionTagsExcept);
        this.pipelines = new Editable<>(StringColumn.PIPELINE_DISPLAY_NAME, id -> mapper.selectPipeline(id, null),
                mapper::updatePipelineDisplayName, pipelineTags, StringColumn.PIPELINE_TAG_KEY, StringColumn.PIPELINE_TAG_VALUE,
                Pipeline::withTags, MyBatisPipelineStore::pipelineNotFound);
        this.versions = new Editable<>(StringColumn.VERSION_DISPLAY_NAME, id -> mapper.selectVersion(id, null),
                mapper::updateVersionDisplayName, versionTags, StringColumn.VERSION_TAG_KEY, StringColumn.VERSION_TAG_VALUE,
                PipelineVersion::withTags, MyBatisPipelineStore::versionNotFound);
    }

    // ----- pipelines -----

    @Override
    public Pipeline createPipeline(Pipeline p) {
        Pipeline created = insertPipeline(p, p.status());
        pipelineTags.replace(created.uuid(), p.tags());
        return created.withTags(p.tags());
    }

    @Override
    public PipelineAndVersion createPipelineAndPipelineVersion(Pipeline p, PipelineVersion v) {
        Pipeline pipeline = insertPipeline(p, PipelineStatus.CREATING);
        PipelineVersion version = insertVersion(v, pipeline.uuid(), PipelineStatus.CREATING);
        pipelineTags.replace(pipeline.uuid(), p.tags());
        versionTags.replace(version.uuid(), v.tags());
        return new PipelineAndVersion(pipeline.withTags(p.tags()), version.withTags(v.tags()));
    }

    private Pipeline insertPipeline(Pipeline p, PipelineStatus status) {
        Limits.required("pipeline name", p.name());
        StringColumn.PIPELINE_NAME.check(p.name());
        StringColumn.PIPELINE_DISPLAY_NAME.check(p.displayName());
        StringColumn.PIPELINE_NAMESPACE.check(p.namespace());
        checkTags(p.tags(), StringColumn.PIPELINE_TAG_KEY, StringColumn.PIPELINE_TAG_VALUE);
        Pipeline row = new Pipeline(ids.newId(), clock.nowSeconds(), p.name(), p.displayName(), p.description(),
                status, p.namespace());
        SqlErrors.insertUnique(() -> mapper.insertPipeline(row), e -> new AlreadyExistsException(
                "Failed to create a new pipeline. The name " + p.name() + " already exists. Please specify a new name", e));
        return row;
    }

    @Override
    public Pipeline getPipeline(String id) {
        return getPipelineWithStatus(id, PipelineStatus.READY);
    }

    @Override
    public Pipeline getPipelineWithStatus(String id, PipelineStatus status) {
        Pipeline p = mapper.selectPipeline(id, status);
        if (p == null) {
            throw pipelineNotFound(id);
        }
        return p.withTags(pipelineTags.of(id));
    }

    @Override
    public Pipeline getPipelineByNameAndNamespace(String name, String namespace) {
        Pipeline p = mapper.selectPipelineByName(name, namespace == null ? "" : namespace);
        if (p == null) {
            throw new NotFoundException("Namespace/Pipeline " + namespace + "/" + name + " not found");
        }
        return p.withTags(pipelineTags.of(p.uuid()));
    }

    @Override
    public PipelineAndVersion getPipelineByNameAndNamespaceV1(String name, String namespace) {
        Pipeline p = getPipelineByNameAndNamespace(name, namespace);
        return new PipelineAndVersion(p, latestVersions(List.of(p.uuid())).get(p.uuid()));
    }

    @Override
    @Transactional(isolation = Transactional.Isolation.REPEATABLE_READ)
    public ListResult<Pipeline> listPipelines(FilterContext context, ListOptions options) {
        return lists.query(PIPELINES_WITH_TAGS, options, pipelineScope(context))
                .execute(mapper::selectPipelinePage, mapper::countPipelines, this::pipelinesWithTags, Pipeline::uuid);
    }

    @Override
    @Transactional(isolation = Transactional.Isolation.REPEATABLE_READ)
    public ListResult<PipelineAndVersion> listPipelinesV1(FilterContext context, ListOptions options) {
        return lists.query(ListModels.PIPELINES, options, pipelineScope(context))
                .execute(mapper::selectPipelinePage, mapper::countPipelines, pageIds -> {
                    Map<String, PipelineVersion> latest = latestVersions(pageIds);
                    return mapper.selectPipelinesByIds(pageIds).stream()
                            .map(p -> new PipelineAndVersion(p, latest.get(p.uuid()))).toList();
                }, pv -> pv.pipeline().uuid());
    }

    private static Scope pipelineScope(FilterContext context) {
        return Scope.of(context, Map.of(ResourceType.NAMESPACE, Tables.PIPELINES.namespace))
                .and(and(Tables.PIPELINES.status, isEqualTo(PipelineStatus.READY.name())));
    }

    private List<Pipeline> pipelinesWithTags(List<String> pageIds) {
        Map<String, Map<String, String>> tags = pipelineTags.of(pageIds);
        return mapper.selectPipelinesByIds(pageIds).stream().map(p -> p.withTags(tags.get(p.uuid()))).toList();
    }

    /** The latest READY version of each pipeline that has one, with its tags. */
    private Map<String, PipelineVersion> latestVersions(List<String> pipelineIds) {
        List<String> versionIds = mapper.selectLatestVersionIds(pipelineIds);
        Map<String, PipelineVersion> byPipeline = new HashMap<>();
        for (PipelineVersion v : versionsWithTags(versionIds)) {
            byPipeline.put(v.pipelineId(), v);
        }
        return byPipeline;
    }

    @Override
    public void updatePipelineStatus(String id, PipelineStatus status) {
        found(mapper.updatePipelineStatus(id, status), pipelineNotFound(id));
    }

    @Override
    public void updatePipelineDefaultVersion(String id, String versionId) {
        StringColumn.PIPELINE_DEFAULT_VERSION_ID.check(versionId);
        found(mapper.updatePipelineDefaultVersion(id, versionId), pipelineNotFound(id));
    }

    @Override
    public Pipeline updatePipelineFields(String id, String displayName, Map<String, String> tags) {
        return pipelines.updateFields(id, displayName, tags);
    }

    @Override
    public void createOrUpdatePipelineTags(String id, Map<String, String> tags) {
        updatePipelineFields(id, null, tags == null ? Map.of() : tags);
    }

    @Override
    public Map<String, String> getPipelineTags(String id) {
        return pipelineTags.of(id);
    }

    @Override
    public Map<String, Map<String, String>> getPipelineTagsForPipelines(Collection<String> pipelineIds) {
        return pipelineTags.of(pipelineIds);
    }

    @Override
    public void deletePipelineTags(String id) {
        pipelineTags.replace(id, Map.of());
    }

    @Override
    public void deletePipeline(String id) {
        found(mapper.deletePipeline(id), pipelineNotFound(id));
    }

    // ----- versions -----

    @Override
    public PipelineVersion createPipelineVersion(PipelineVersion v) {
        PipelineVersion created = insertVersion(v, v.pipelineId(), v.status());
        versionTags.replace(created.uuid(), v.tags());
        return created.withTags(v.tags());
    }

    private PipelineVersion insertVersion(PipelineVersion v, String pipelineId, PipelineStatus status) {
        Limits.required("pipeline version name", v.name());
        StringColumn.VERSION_NAME.check(v.name());
        StringColumn.VERSION_DISPLAY_NAME.check(v.displayName());
        StringColumn.VERSION_PIPELINE_ID.check(pipelineId);
        StringColumn.VERSION_CODE_SOURCE_URL.check(v.codeSourceUrl());
        checkTags(v.tags(), StringColumn.VERSION_TAG_KEY, StringColumn.VERSION_TAG_VALUE);
        PipelineVersion row = new PipelineVersion(ids.newId(), clock.nowSeconds(), v.name(), v.displayName(),
                v.parameters(), pipelineId, status, v.codeSourceUrl(), v.description(), v.pipelineSpec(),
                v.pipelineSpecUri());
        try {
            SqlErrors.insertUnique(() -> mapper.insertVersion(row), e -> new AlreadyExistsException(
                    "Failed to create a new pipeline version. The name " + v.name() + " already exists. Please specify a new name", e));
        } catch (RuntimeException e) {
            if (SqlErrors.isForeignKeyViolation(e)) {
                throw pipelineNotFound(pipelineId);
            }
            throw e;
        }
        return row;
    }

    @Override
    public PipelineVersion getPipelineVersion(String id) {
        return getPipelineVersionWithStatus(id, PipelineStatus.READY);
    }

    @Override
    public PipelineVersion getPipelineVersionWithStatus(String id, PipelineStatus status) {
        return withTags(mapper.selectVersion(id, status), "PipelineVersion " + id + " not found");
    }

    @Override
    public PipelineVersion getPipelineVersionByName(String pipelineId, String name) {
        return withTags(mapper.selectVersionByName(pipelineId, name), "PipelineVersion " + name + " not found");
    }

    @Override
    public PipelineVersion getLatestPipelineVersion(String pipelineId) {
        return withTags(mapper.selectLatestVersion(pipelineId), "PipelineVersion of pipeline " + pipelineId + " not found");
    }

    private PipelineVersion withTags(PipelineVersion v, String notFound) {
        if (v == null) {
            throw new NotFoundException(notFound);
        }
        return v.withTags(versionTags.of(v.uuid()));
    }

    @Override
    @Transactional(isolation = Transactional.Isolation.REPEATABLE_READ)
    public ListResult<PipelineVersion> listPipelineVersions(String pipelineId, ListOptions options) {
        Tables.PipelineVersions v = Tables.PIPELINE_VERSIONS;
        Scope scope = Scope.of(and(v.pipelineId, isEqualTo(pipelineId)), and(v.status, isEqualTo(PipelineStatus.READY.name())));
        return lists.query(VERSIONS_WITH_TAGS, options, scope)
                .execute(mapper::selectVersionPage, mapper::countVersions, this::versionsWithTags, PipelineVersion::uuid);
    }

    private List<PipelineVersion> versionsWithTags(List<String> versionIds) {
        if (versionIds.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> tags = versionTags.of(versionIds);
        return mapper.selectVersionsByIds(versionIds).stream().map(x -> x.withTags(tags.get(x.uuid()))).toList();
    }

    @Override
    public void updatePipelineVersionStatus(String id, PipelineStatus status) {
        found(mapper.updateVersionStatus(id, status), versionNotFound(id));
    }

    @Override
    public PipelineVersion updatePipelineVersionFields(String id, String displayName, Map<String, String> tags) {
        return versions.updateFields(id, displayName, tags);
    }

    @Override
    public void createOrUpdatePipelineVersionTags(String id, Map<String, String> tags) {
        updatePipelineVersionFields(id, null, tags == null ? Map.of() : tags);
    }

    @Override
    public Map<String, String> getPipelineVersionTags(String id) {
        return versionTags.of(id);
    }

    @Override
    public Map<String, Map<String, String>> getPipelineVersionTagsForVersions(Collection<String> versionIds) {
        return versionTags.of(versionIds);
    }

    @Override
    public void deletePipelineVersionTags(String id) {
        versionTags.replace(id, Map.of());
    }

    @Override
    public void deletePipelineVersion(String id) {
        found(mapper.deleteVersion(id), versionNotFound(id));
    }

    // ----- shared -----

    private static void found(int rows, NotFoundException otherwise) {
        if (rows == 0) {
            throw otherwise;
        }
    }

    private static NotFoundException pipelineNotFound(String id) {
        return new NotFoundException("Pipeline " + id + " not found");
    }

    private static NotFoundException versionNotFound(String id) {
        return new NotFoundException("PipelineVersion " + id + " not found");
    }

    /** KFP's tag rules (model ValidateTags), checked here so every caller gets them. */
    static void checkTags(Map<String, String> tags, StringColumn keys, StringColumn values) {
        if (tags.size() > MAX_TAGS) {
            throw new InvalidArgumentException("at most " + MAX_TAGS + " tags are allowed, got " + tags.size());
        }
        tags.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.contains(".")) {
                throw new InvalidArgumentException("tag key '" + k + "' must be non-empty and must not contain '.'");
            }
            keys.check(k);
            if (v == null) {
                throw new InvalidArgumentException("tag " + k + " has no value");
            }
            values.check(v);
        });
    }

    /** {@code tags.<key>} filters: {@code key IN (SELECT owner FROM tags WHERE TagKey = k AND TagValue = v)}. */
    private static BiFunction<String, kfp.store.list.Predicate, org.mybatis.dynamic.sql.AndOrCriteriaGroup> tagFilter(
            Tables.Tags tags, BindableColumn<String> key) {
        return (tagKey, p) -> {
            if (p.operation() != Operation.EQUALS || !(p.value() instanceof String value) || tagKey.isEmpty()) {
                throw new InvalidArgumentException("Invalid filter: tag filters take EQUALS with a string_value on tags.<key>");
            }
            return and(key, isIn(select(tags.ownerId).from(tags)
                    .where(tags.tagKey, isEqualTo(tagKey))
                    .and(tags.tagValue, isEqualTo(value))));
        };
    }

    /**
     * Pipelines and versions alike: the display name and the tags are what may change
     * (KFP's updateEntityFields).
     */
    private record Editable<T>(StringColumn displayNames, Function<String, T> read, BiFunction<String, String, Integer> rename,
            TagTable tags, StringColumn tagKeys, StringColumn tagValues, BiFunction<T, Map<String, String>, T> withTags,
            Function<String, NotFoundException> notFound) {

        /** Sets the display name unless empty and the tags unless null; returns the row with its tags. */
        T updateFields(String id, String displayName, Map<String, String> newTags) {
            if (read.apply(id) == null) {
                throw notFound.apply(id);
            }
            if (displayName != null && !displayName.isEmpty()) {
                displayNames.check(displayName);
                rename.apply(id, displayName);
            }
            if (newTags != null) {
                checkTags(newTags, tagKeys, tagValues);
                tags.replace(id, newTags);
            }
            return withTags.apply(read.apply(id), tags.of(id));
        }
    }

    /** One of the two tag tables, through its statements. */
    private static final class TagTable {
        private final Function<Collection<String>, List<TagRow>> select;
        private final BiFunction<String, List<TagRow>, Integer> upsert;
        private final BiFunction<String, Collection<String>, Integer> deleteExcept;

        TagTable(Function<Collection<String>, List<TagRow>> select, BiFunction<String, List<TagRow>, Integer> upsert,
                BiFunction<String, Collection<String>, Integer> deleteExcept) {
            this.select = select;
            this.upsert = upsert;
            this.deleteExcept = deleteExcept;
        }

        Map<String, String> of(String ownerId) {
            return of(List.of(ownerId)).getOrDefault(ownerId, Map.of());
        }

        Map<String, Map<String, String>> of(Collection<String> ownerIds) {
            Map<String, Map<String, String>> out = new HashMap<>();
            if (ownerIds.isEmpty()) {
                return out;
            }
            for (TagRow t : select.apply(ownerIds)) {
                out.computeIfAbsent(t.getOwnerId(), k -> new TreeMap<>()).put(t.getKey(), t.getValue());
            }
            return out;
        }

        /** Upserts the given tags, then deletes the others: values change in place, nothing churns. */
        void replace(String ownerId, Map<String, String> tags) {
            if (!tags.isEmpty()) {
                List<TagRow> rows = new ArrayList<>();
                tags.forEach((k, v) -> rows.add(new TagRow(k, v)));
                upsert.apply(ownerId, rows);
            }
            deleteExcept.apply(ownerId, tags.keySet());
        }
    }
}
