package kfp.store.api;

/** Source of "now" for every timestamp a store writes (epoch seconds, as KFP stores them). */
@FunctionalInterface
public interface Clock {

    long nowSeconds();

    Clock SYSTEM = () -> System.currentTimeMillis() / 1000L;
}
