package io.skbtrail.agent.probe;

import io.skbtrail.agent.libbpf.BpfLink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Detaching many probes. Releasing a kprobe waits for an RCU grace period inside the kernel, so a
 * thousand of them released one by one take tens of seconds; released from several threads they
 * overlap. Progress is reported about once a second.
 */
final class Links {
    private static final int PARALLEL_FROM = 32;
    private static final int THREADS = 16;

    private Links() {}

    static void closeAll(List<BpfLink> links, Consumer<String> progress) {
        List<BpfLink> all = new ArrayList<>(links);
        links.clear();
        if (all.size() < PARALLEL_FROM) {
            all.forEach(BpfLink::close);
            return;
        }
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "skbtrail-detach");
            t.setDaemon(true);
            return t;
        });
        for (BpfLink link : all) {
            pool.execute(() -> {
                link.close();
                done.incrementAndGet();
            });
        }
        pool.shutdown();
        long started = System.nanoTime();
        try {
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                progress.accept(String.format("releasing probes: %d/%d (%.0f s)", done.get(), all.size(),
                        (System.nanoTime() - started) / 1e9));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
