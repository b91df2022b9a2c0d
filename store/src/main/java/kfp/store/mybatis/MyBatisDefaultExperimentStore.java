package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import kfp.store.api.DefaultExperimentStore;
import kfp.store.mybatis.mapper.DefaultExperimentMapper;

/** {@link DefaultExperimentStore} over {@code mappers/DefaultExperimentMapper.xml}. */
@Singleton
@Transactional
public class MyBatisDefaultExperimentStore implements DefaultExperimentStore {

    private final DefaultExperimentMapper mapper;

    @Inject
    MyBatisDefaultExperimentStore(DefaultExperimentMapper mapper) {
        this.mapper = mapper;
        SqlErrors.ignoringDuplicateKey(mapper::insertIfAbsent); // the row KFP's servers expect
    }

    @Override
    public String getDefaultExperimentId() {
        String id = mapper.selectDefaultExperimentId();
        return id == null ? "" : id;
    }

    @Override
    public void setDefaultExperimentId(String id) {
        StringColumn.DEFAULT_EXPERIMENT_ID.check(id);
        mapper.updateIfUnset(id);
    }

    @Override
    public void unsetDefaultExperimentIdIfIdMatches(String id) {
        mapper.clearIfMatches(id);
    }
}
