package kfp.cache;

import java.util.concurrent.ThreadFactory;

/** Threads of the cache server's background work: named for thread dumps, and never holding the JVM open. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
