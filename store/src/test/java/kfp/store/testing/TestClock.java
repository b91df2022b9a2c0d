package kfp.store.testing;

import java.util.concurrent.atomic.AtomicLong;
import kfp.store.api.Clock;

/** KFP's test clock: each read returns the next second, starting at 1, so writes are ordered and known. */
public final class TestClock implements Clock {

    private final AtomicLong next = new AtomicLong(1);

    @Override
    public long nowSeconds() {
        return next.getAndIncrement();
    }

    /** The value the next read returns. */
    public void setNext(long seconds) {
        next.set(seconds);
    }

    public long peek() {
        return next.get();
    }
}
