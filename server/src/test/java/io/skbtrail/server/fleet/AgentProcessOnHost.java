package io.skbtrail.server.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code skbtrail-agent connect} process (its own JVM) standing for one host: it watches one
 * network namespace ({@code --filter-netns}), since the test's "hosts" share this machine's kernel.
 */
final class AgentProcessOnHost implements AutoCloseable {
    private final String name;
    private final Path log;
    private final Process process;

    private AgentProcessOnHost(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    static AgentProcessOnHost start(String server, String token, String name, String netns, String... labels)
            throws IOException {
        Path log = Files.createTempFile("skbtrail-agent-" + name, ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.skbtrail.agent.cli.Main", "connect",
                "--server", server, "--token", token, "--name", name, "--filter-netns", "/run/netns/" + netns));
        for (String label : labels) {
            command.add("--label");
            command.add(label);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcessOnHost(name, log, p);
    }

    /** {@code skbtrail-agent replay FILE}: an agent that sends a recording as a session's events. */
    static AgentProcessOnHost replay(String server, String token, String name, Path recording, String... labels)
            throws IOException {
        Path log = Files.createTempFile("skbtrail-replay-" + name, ".log");
        // The collector of node-agent/bin/skbtrail-agent (one GC thread, nothing concurrent), but the full JIT: a
        // replay stands in for agents on other machines, and here it shares the two cores with the server.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC"));
        // e.g. a profiler for the benchmark; {name} becomes the agent's name (one recording file each)
        String extra = System.getenv("SKBTRAIL_REPLAY_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().replace("{name}", name).split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.skbtrail.agent.cli.Main", "replay",
                recording.toString(), "--server", server, "--token", token, "--name", name));
        String batch = System.getenv("SKBTRAIL_BENCH_BATCH_EVENTS");
        if (batch != null) {
            command.addAll(List.of("--batch-events", batch));
        }
        for (String label : labels) {
            command.add("--label");
            command.add(label);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcessOnHost(name, log, p);
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the agent dies with whatever it had not sent. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** Stops the process and deletes its log. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a log left in the temporary directory is all that happens
        }
    }
}
