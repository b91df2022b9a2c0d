package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kfp.store.api.RunCounters;
import kfp.store.dialect.Dialect;
import kfp.store.mybatis.Transactional.Isolation;
import kfp.store.mybatis.mapper.RunCountsMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RunCounters} over {@code mappers/RunCountsMapper.xml}. */
@Singleton
@Transactional
public class MyBatisRunCounters implements RunCounters {

    private static final Logger LOG = LoggerFactory.getLogger(MyBatisRunCounters.class);

    /** The triggers migration 41 (on MySQL: start-up, RunCountTriggers) creates on run_details. */
    private static final Map<Dialect, Integer> TRIGGERS = Map.of(Dialect.H2, 1, Dialect.POSTGRESQL, 2, Dialect.MYSQL, 3);

    private final RunCountsMapper mapper;
    private final boolean maintained;

    @Inject
    MyBatisRunCounters(RunCountsMapper mapper, Dialect dialect) {
        this.mapper = mapper;
        this.maintained = mapper.selectRunCountTriggers().size() == TRIGGERS.get(dialect);
        if (!maintained) {
            LOG.warn("run counters off (their triggers are missing on run_details): total_size counts the matching runs");
        }
    }

    @Override
    public boolean maintained() {
        return maintained;
    }

    /** One snapshot for both reads, so that a run changing in between is not reported as drift. */
    @Override
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public List<Drift> check() {
        Map<List<String>, long[]> byKey = new TreeMap<>(KEY_ORDER);
        for (Counter c : mapper.selectCounters()) {
            byKey.computeIfAbsent(key(c), k -> new long[2])[0] += c.runCount();
        }
        for (Counter c : mapper.selectCountersOfRuns()) {
            byKey.computeIfAbsent(key(c), k -> new long[2])[1] += c.runCount();
        }
        List<Drift> drift = new ArrayList<>();
        byKey.forEach((k, counts) -> {
            if (counts[0] != counts[1]) {
                drift.add(new Drift(k.get(0), k.get(1), k.get(2), k.get(3), counts[0], counts[1]));
            }
        });
        return drift;
    }

    /** REPEATABLE READ: on MySQL the lock's next-key locks then hold inserts of runs too. */
    @Override
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public int recount() {
        mapper.lockRunsForRecount(); // runs first, then counters: the lock order of every run change
        mapper.deleteCounters();
        return mapper.insertCountersOfRuns();
    }

    private static List<String> key(Counter c) {
        return List.of(c.experimentId(), c.namespace(), c.storageState(), c.state());
    }

    /** Byte-wise, as the counters compare (java.lang.String order agrees for the keys' characters). */
    private static final java.util.Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };
}
