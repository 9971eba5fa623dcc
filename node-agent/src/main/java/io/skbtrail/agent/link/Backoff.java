package io.skbtrail.agent.link;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Time between connection attempts: 200 ms, doubling up to 5 s, each drawn between half and all of that
 * ("equal jitter", so that agents a server restart disconnected together do not call back together);
 * back to the start after a successful connection.
 */
final class Backoff {
    static final Duration INITIAL = Duration.ofMillis(200);
    static final Duration MAX = Duration.ofSeconds(5);

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private long ceilingMillis;

    /** @param random uniform in [0, 1) */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
        this.ceilingMillis = initialMillis;
    }

    static Backoff standard() {
        return new Backoff(INITIAL, MAX, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /** The wait before the next attempt. */
    Duration next() {
        long ceiling = ceilingMillis;
        ceilingMillis = Math.min(maxMillis, ceilingMillis * 2);
        return Duration.ofMillis(ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2)));
    }

    /** After a successful connection. */
    void reset() {
        ceilingMillis = initialMillis;
    }
}
