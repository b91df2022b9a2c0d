package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import kfp.store.api.DBStatusStore;
import kfp.store.mybatis.mapper.DBStatusMapper;

/** {@link DBStatusStore} over {@code mappers/DBStatusMapper.xml}. */
@Singleton
@Transactional
public class MyBatisDBStatusStore implements DBStatusStore {

    private final DBStatusMapper mapper;

    @Inject
    MyBatisDBStatusStore(DBStatusMapper mapper) {
        this.mapper = mapper;
        SqlErrors.ignoringDuplicateKey(mapper::insertIfAbsent); // the row KFP's servers expect
    }

    @Override
    public boolean haveSamplesLoaded() {
        return Boolean.TRUE.equals(mapper.selectHaveSamplesLoaded());
    }

    @Override
    public void markSampleLoaded() {
        mapper.updateHaveSamplesLoaded();
    }
}
