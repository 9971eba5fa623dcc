package io.skbtrail.agent.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real {@code skbtrail-agent trace} process (a separate JVM on this test's classpath) writing NDJSON
 * to a file; started, waited for through its ready file, stopped with SIGINT like a user would.
 */
public final class AgentProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final InProcess inProcess;
    private final Path dir;
    private final Path output;
    private final Path stderr;
    /** The output directory is this object's own (a temporary one): deleted on close. */
    private boolean ownsDir;

    /** An agent run in this JVM (TestBackend.inProcess()). */
    private record InProcess(Thread thread, io.skbtrail.agent.cli.StopSignal stop, int[] exit) {}

    private AgentProcess(Process process, InProcess inProcess, Path dir) {
        this.process = process;
        this.inProcess = inProcess;
        this.dir = dir;
        this.output = dir.resolve("events.ndjson");
        this.stderr = dir.resolve("stderr.txt");
    }

    /**
     * Starts {@code trace} with the given arguments plus JSON output to a file and a ready file, in a
     * temporary directory that {@link #close()} deletes.
     */
    public static AgentProcess trace(String... args) throws IOException {
        Path dir = Files.createTempDirectory("skbtrail-agent-test");
        try {
            AgentProcess agent = trace(dir, args);
            agent.ownsDir = true;
            return agent;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** As {@link #trace(String...)}, with the output in {@code dir}. */
    public static AgentProcess trace(Path dir, String... args) throws IOException {
        List<String> traceArgs = new ArrayList<>(TestBackend.current().agentArgs());
        traceArgs.addAll(List.of(args));
        traceArgs.addAll(List.of("--output-json", "--output-file", dir.resolve("events.ndjson").toString(),
                "--ready-file", dir.resolve("ready").toString()));
        AgentProcess agent;
        if (TestBackend.inProcess()) {
            io.skbtrail.agent.cli.StopSignal stop = new io.skbtrail.agent.cli.StopSignal();
            int[] exit = {-1};
            java.io.PrintStream err = new java.io.PrintStream(
                    Files.newOutputStream(dir.resolve("stderr.txt")), true, StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                exit[0] = io.skbtrail.agent.cli.Main.trace(traceArgs.toArray(String[]::new), err, stop);
                err.close();
            }, "agent");
            t.start();
            agent = new AgentProcess(null, new InProcess(t, stop, exit), dir);
        } else {
            List<String> command = new ArrayList<>(javaCommand());
            command.add("trace");
            command.addAll(traceArgs);
            Process p = new ProcessBuilder(command)
                    .redirectError(dir.resolve("stderr.txt").toFile())
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .start();
            agent = new AgentProcess(p, null, dir);
        }
        agent.awaitReady();
        return agent;
    }

    /** Runs the agent to completion with these arguments (no ready file); for usage errors. */
    public static Shell.Result runToExit(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("agent did not exit: " + out);
        }
        return new Shell.Result(p.exitValue(), out);
    }

    static List<String> javaCommand() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return List.of(java.toString(), "-cp", System.getProperty("java.class.path"), "io.skbtrail.agent.cli.Main");
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!Files.exists(dir.resolve("ready"))) {
            if (!isAlive()) {
                throw new IllegalStateException("agent exited with " + exitValue() + " before it was ready:\n"
                        + stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("agent not ready after " + READY_TIMEOUT + ":\n" + stderr());
            }
            sleep(50);
        }
    }

    public long pid() {
        if (process == null) {
            throw new UnsupportedOperationException("the agent runs in this JVM");
        }
        return process.pid();
    }

    private boolean isAlive() {
        return process != null ? process.isAlive() : inProcess.thread().isAlive();
    }

    private int exitValue() {
        return process != null ? process.exitValue() : inProcess.exit()[0];
    }

    private boolean waitFor(long seconds) throws InterruptedException {
        if (process != null) {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        }
        inProcess.thread().join(seconds * 1000);
        return !inProcess.thread().isAlive();
    }

    /** The last line written (the summary, once stopped), read without loading the whole file. */
    public String lastLine() throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(output.toFile(), "r")) {
            long pos = f.length() - 2;
            while (pos > 0) {
                f.seek(pos);
                if (f.read() == '\n') {
                    pos++;
                    break;
                }
                pos--;
            }
            f.seek(Math.max(0, pos));
            return new String(f.readLine().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
    }

    /** Lines written so far. */
    public List<String> lines() throws IOException {
        return Files.exists(output) ? Files.readAllLines(output) : List.of();
    }

    /** Waits (10 s at most) until a written line satisfies {@code condition}; returns whether one did. */
    public boolean awaitLine(Predicate<String> condition) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (lines().stream().anyMatch(condition)) {
                return true;
            }
            sleep(50);
        }
        return false;
    }

    /** Sends SIGINT and waits for the exit; returns the exit code. */
    public int stop() throws InterruptedException {
        if (process != null) {
            Shell.run("kill -INT " + process.pid());
        } else {
            inProcess.stop().request();
        }
        if (!waitFor(120)) {
            if (process != null) {
                process.destroyForcibly();
            }
            throw new IllegalStateException("agent did not stop within 120 s of SIGINT");
        }
        return exitValue();
    }

    /** Waits (30 s at most) for the agent to exit on its own; returns the exit code. */
    public int awaitExit() throws InterruptedException {
        if (!waitFor(30)) {
            throw new IllegalStateException("agent still running after 30 s");
        }
        return exitValue();
    }

    public void signal(String signal) {
        Shell.run("kill -" + signal + " " + pid());
    }

    public String stderr() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    @Override
    public void close() throws IOException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        if (inProcess != null && inProcess.thread().isAlive()) {
            inProcess.stop().request();
        }
        if (ownsDir) {
            try {
                if (process != null) {
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                if (inProcess != null) {
                    inProcess.thread().join(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
