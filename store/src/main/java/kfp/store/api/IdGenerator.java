package kfp.store.api;

import java.util.UUID;

/** Source of new row ids (KFP uses random UUIDs). Injected so tests can fix them. */
@FunctionalInterface
public interface IdGenerator {

    String newId();

    IdGenerator RANDOM_UUID = () -> UUID.randomUUID().toString();
}
