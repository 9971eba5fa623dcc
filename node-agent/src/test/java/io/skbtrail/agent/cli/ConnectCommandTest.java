package io.skbtrail.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.link.FilterScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ConnectCommandTest {

    private static ConnectCommand.Request parse(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "connect";
        System.arraycopy(args, 0, all, 1, args.length);
        return ConnectCommand.parse(Flags.parse(all, 1, ConnectCommand.FLAGS), env);
    }

    @Test
    void defaults() {
        ConnectCommand.Request r = parse(Map.of(), "--server", "http://srv:8080", "--token", "t0k3n");
        assertEquals(URI.create("ws://srv:8080/api/agent/link"), r.server());
        assertEquals("t0k3n", r.token());
        assertFalse(r.name().isBlank(), "the host name");
        assertEquals(Map.of(), r.labels());
        assertEquals("auto", r.backend());
        assertEquals(FilterScope.ANY, r.scope());
        assertEquals(100, r.batchMillis());
        assertEquals(4096, r.batchEvents());
        assertEquals(1_000_000, r.bufferEvents());
        assertFalse(r.toString().contains("t0k3n"), "the token stays out of logs");
    }

    @Test
    void labelsRepeatAndNamesAreChecked() {
        ConnectCommand.Request r = parse(Map.of(), "--server", "https://srv", "--token", "t", "--name", "node-a",
                "--label", "zone=eu-1", "--label=role=lb");
        assertEquals("node-a", r.name());
        assertEquals(Map.of("zone", "eu-1", "role", "lb"), r.labels());
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "https://srv", "--token", "t",
                "--label", "zone=a", "--label", "zone=b"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "https://srv", "--token", "t",
                "--label", "=x"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "https://srv", "--token", "t",
                "--name", "two words"));
    }

    @Test
    void theTokenComesFromTheFlagTheFileOrTheEnvironment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-file\n");
        assertEquals("from-file", parse(Map.of(), "--server", "http://s", "--token-file", file.toString()).token());
        assertEquals("from-env", parse(Map.of("SKBTRAIL_AGENT_TOKEN", "from-env"), "--server", "http://s").token());
        assertEquals("flag", parse(Map.of("SKBTRAIL_AGENT_TOKEN", "from-env"), "--server", "http://s",
                "--token", "flag").token());
        UsageException none = assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "http://s"));
        assertTrue(none.getMessage().startsWith("connect needs a token"), none.getMessage());
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "http://s", "--token", "a",
                "--token-file", file.toString()));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "http://s", "--token-file",
                dir.resolve("missing").toString()));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "http://s", "--token", "a b"));
    }

    @Test
    void usageErrors() {
        assertEquals("connect needs --server URL (the skbtrail server, e.g. https://skbtrail.example:8443)",
                assertThrows(UsageException.class, () -> parse(Map.of(), "--token", "t")).getMessage());
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "srv:80", "--token", "t"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "http://s", "--token", "t", "udp"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "http://s", "--token", "t",
                "--backend", "ebpf"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "http://s", "--token", "t",
                "--batch-events", "70000"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--server", "http://s", "--token", "t",
                "--filter-netns", "/nonexistent/netns"));
    }

    @Test
    void helpAndMainDispatch() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.connect(new String[] {"--token", "t"}, new PrintStream(err, true, StandardCharsets.UTF_8),
                new StopSignal());
        assertEquals(Main.EXIT_USAGE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("skbtrail-agent: connect needs --server"));
        assertTrue(Usage.MAIN.contains("connect --server URL"));
        assertTrue(Usage.CONNECT.contains("--buffer-events N"));
    }
}
