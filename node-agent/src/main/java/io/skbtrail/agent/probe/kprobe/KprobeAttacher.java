package io.skbtrail.agent.probe.kprobe;

import io.skbtrail.agent.libbpf.BpfLink;
import io.skbtrail.agent.libbpf.BpfObject;
import io.skbtrail.agent.libbpf.BpfProgram;
import io.skbtrail.agent.libbpf.FileLimit;
import io.skbtrail.agent.libbpf.LibBpfException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Attaches one kprobe per function from several threads (each attach is a perf event plus an ioctl;
 * they overlap well), reporting progress about once a second and stopping at once when cancelled.
 * A function the kernel refuses (blacklisted, ambiguous static name) is skipped and counted.
 */
final class KprobeAttacher {
    private static final int THREADS = 8;

    private KprobeAttacher() {}

    static List<String> attach(BpfObject object, String programPrefix, List<SkbFunctionSelection.Target> targets,
            List<BpfLink> links, Consumer<String> progress, BooleanSupplier cancelled) {
        if (!FileLimit.ensure(targets.size() + 4096L)) {
            progress.accept("could not raise the open-file limit for " + targets.size() + " kprobes; if attaching"
                    + " fails with EMFILE, raise it (ulimit -n " + (targets.size() + 4096) + ")");
        }
        List<String> attached = Collections.synchronizedList(new ArrayList<>());
        List<String> refused = Collections.synchronizedList(new ArrayList<>());
        List<BpfLink> made = Collections.synchronizedList(links);
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "skbtrail-attach");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            workers.add(pool.submit(() -> {
                int i;
                while (!cancelled.getAsBoolean() && (i = next.getAndIncrement()) < targets.size()) {
                    SkbFunctionSelection.Target t = targets.get(i);
                    BpfProgram program = object.program(programPrefix + t.position());
                    try {
                        made.add(program.attachKprobe(t.name()));
                        attached.add(t.displayName());
                    } catch (LibBpfException e) {
                        refused.add(t.displayName() + ": " + e.getMessage().lines().findFirst().orElse(""));
                    }
                }
            }));
        }
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                double seconds = (System.nanoTime() - started) / 1e9;
                progress.accept(String.format("attaching kprobes: %d/%d (%.0f/s)", attached.size(), targets.size(),
                        attached.size() / Math.max(seconds, 1e-3)));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("attach kprobes: " + e.getCause().getMessage(), e.getCause());
        }
        KprobeBackend.cancelledCheck(cancelled, attached.size(), targets.size());
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.accept(String.format("attached %d kprobes in %.1f s (%.0f/s)%s", attached.size(), seconds,
                attached.size() / Math.max(seconds, 1e-3), refused.isEmpty() ? ""
                        : "; " + refused.size() + " refused by the kernel, e.g. " + refused.get(0)));
        if (attached.isEmpty()) {
            throw new IllegalStateException("the kernel refused every kprobe, e.g. " + refused.get(0));
        }
        return attached;
    }
}
