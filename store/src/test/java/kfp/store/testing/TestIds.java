package kfp.store.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import kfp.store.api.IdGenerator;

/** Sequential UUID-shaped ids ({@code 00000000-0000-4000-8000-000000000001}, …), or queued ones. */
public final class TestIds implements IdGenerator {

    private final AtomicLong counter = new AtomicLong();
    private final Deque<String> queued = new ArrayDeque<>();

    @Override
    public synchronized String newId() {
        String q = queued.pollFirst();
        return q != null ? q : String.format("00000000-0000-4000-8000-%012d", counter.incrementAndGet());
    }

    /** The next ids handed out, in order, before sequential ones resume. */
    public synchronized void queue(String... ids) {
        for (String id : ids) {
            queued.addLast(id);
        }
    }
}
