package io.skbtrail.server.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a server killed hard leaves in the embedded data directory. pg_ctl starts PostgreSQL as a
 * daemon, so it outlives a JVM killed with SIGKILL and holds {@code postmaster.pid}; a new start would then
 * refuse ("lock file postmaster.pid already exists"). If that postmaster still runs on this data
 * directory it is shut down (SIGINT: fast shutdown, committed data is safe); if the PID now belongs to
 * another process, the stale lock file is removed.
 */
final class StalePostmaster {
    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {}

    static void clear(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        long pid = lines.isEmpty() ? -1 : parse(lines.get(0));
        Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (process.isPresent() && isPostmasterOf(pid, dataDir)) {
            log.warn("A PostgreSQL from an earlier run (PID {}) still runs on {}: shutting it down", pid, dataDir);
            signal(pid, "INT");
            if (!waitForExit(process.get(), 30_000)) {
                log.warn("PostgreSQL PID {} did not stop in 30 s: killing it", pid);
                signal(pid, "KILL");
                waitForExit(process.get(), 10_000);
            }
        }
        if (Files.deleteIfExists(pidFile)) {
            log.info("Removed the stale {}", pidFile);
        }
    }

    private static long parse(String line) {
        try {
            return Long.parseLong(line.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether {@code pid} is a postgres process started with {@code -D dataDir}. */
    private static boolean isPostmasterOf(long pid, Path dataDir) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            return cmdline.contains("postgres") && cmdline.contains(dataDir.toString());
        } catch (IOException e) {
            return false;
        }
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL " + pid, e);
        }
    }

    private static boolean waitForExit(ProcessHandle process, long millis) {
        try {
            process.onExit().get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }
}
