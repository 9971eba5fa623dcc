package io.skbtrail.server.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real skbtrail server in its own JVM (this test's classpath) with the embedded PostgreSQL in its own
 * data directory; it can be killed hard and started again on the same port and data.
 */
public final class ServerProcess implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "fleet-test-admin";

    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;
    private int starts;

    public ServerProcess() throws IOException {
        this(List.of());
    }

    /** @param extraArgs JVM arguments of the server, e.g. {@code -Dskbtrail.…=…} settings */
    public ServerProcess(List<String> extraArgs) throws IOException {
        this.extraArgs = List.copyOf(extraArgs);
        this.dataDir = Files.createTempDirectory("skbtrail-fleet-server");
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's log of its current (or last) start; kept in the data directory, gone after close(). */
    Path log() {
        return dataDir.resolve("server-" + starts + ".log");
    }

    public void start() throws IOException, InterruptedException {
        starts++;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseParallelGC"));
        String extra = System.getenv("SKBTRAIL_SERVER_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(extraArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.skbtrail.server.SkbtrailServer"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SKBTRAIL_DATA_DIR", dataDir.toString());
        builder.environment().put("SKBTRAIL_ADMIN_PASSWORD", ADMIN_PASSWORD);
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.readString(log()).contains("Started SkbtrailServer")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + Files.readString(log()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("server not started in 90 s:\n" + Files.readString(log()));
            }
            Thread.sleep(100);
        }
    }

    /** Where the server keeps its data (its embedded PostgreSQL's data directory is inside). */
    public Path dataDir() {
        return dataDir;
    }

    /** The server JVM's process id (its embedded PostgreSQL runs as its descendants). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hooks, the embedded PostgreSQL is left running as after a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String logText() throws IOException {
        return Files.readString(log());
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        // A postmaster left by kill() in a test that failed before restarting the server.
        io.skbtrail.agent.lab.Shell.tryRun("pkill -f 'postgres -D " + dataDir + "' || true");
        // Benchmarks leave gigabytes of events here.
        io.skbtrail.agent.lab.Shell.tryRun("rm -rf '" + dataDir + "'");
    }
}
