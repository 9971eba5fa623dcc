package io.skbtrail.agent.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands for kernel tests; a failing setup command fails the test with its output. */
public final class Shell {
    private Shell() {}

    /** Runs {@code bash -c script}; throws with the output if it exits non-zero. */
    public static String run(String script) {
        Result r = tryRun(script);
        if (r.exit() != 0) {
            throw new IllegalStateException("command failed (" + r.exit() + "): " + script + "\n" + r.output());
        }
        return r.output();
    }

    public record Result(int exit, String output) {}

    /** Runs {@code bash -c script} and returns its exit code and combined output (30 s at most). */
    public static Result tryRun(String script) {
        try {
            Process p = new ProcessBuilder(List.of("bash", "-c", script)).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + script);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
