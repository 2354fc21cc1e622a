package dev.flashsale.grid;

/**
 * Settings every JVM that runs a Hazelcast member or client needs before anything else
 * starts. Call {@link #apply()} first thing in {@code main}.
 */
public final class JvmDefaults {

    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private JvmDefaults() {
    }

    public static void apply() {
        // Hazelcast completes async calls on the common pool, but when its parallelism is 1
        // (any machine or pod with 2 CPUs or fewer) it starts a new thread per callback
        // instead: purchases fall from tens of thousands to about a thousand per second.
        // The property is read once, when the pool is first used, so this must run first.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null
                && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
        System.setProperty("hazelcast.phone.home.enabled", "false");
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "slf4j");
        }
    }
}
