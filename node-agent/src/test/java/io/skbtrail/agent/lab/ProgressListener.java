package io.skbtrail.agent.lab;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** One line per finished test, with its time: the lab's guest is slow, progress matters. */
final class ProgressListener implements TestExecutionListener {
    private final java.util.Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void executionStarted(TestIdentifier id) {
        started.put(id.getUniqueId(), System.nanoTime());
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            long ms = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1_000_000;
            System.out.printf("lab: %-7s %s (%d ms)%s%n", result.getStatus(), id.getDisplayName(), ms,
                    result.getThrowable().map(t -> ": " + t.getMessage().lines().findFirst().orElse("")).orElse(""));
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        System.out.printf("lab: SKIPPED %s: %s%n", id.getDisplayName(), reason);
    }
}
