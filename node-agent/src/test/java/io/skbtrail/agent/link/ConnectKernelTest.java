package io.skbtrail.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.event.HostFacts;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.Shell;
import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.LinkJsonParser;
import io.skbtrail.protocol.ServerFrame;
import io.skbtrail.protocol.SummaryRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code connect} command as an operator runs it: a separate JVM, a token file, the tracepoint backend,
 * a session on traffic between two network namespaces, and SIGTERM at the end. The server is the test's
 * WebSocket server on loopback.
 */
@Tag("kernel")
class ConnectKernelTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theAgentTracesWhatTheServerAsksAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "kernel-test-token\n");
        try (NetnsLab lab = new NetnsLab(); TestLinkServer server = new TestLinkServer("kernel-test-token")) {
            String a = lab.host("a");
            String b = lab.host("b");
            NetnsLab.End endB = lab.link(a, b, 8)[1];
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process agent = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    "io.skbtrail.agent.cli.Main", "connect", "--server", server.url(), "--token-file", tokenFile.toString(),
                    "--name", "kernel-test-node", "--label", "role=test", "--backend", "tracepoint",
                    "--batch-millis", "50")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
            try {
                TestLinkServer.Conn conn = server.awaitConnection(WAIT);
                AgentFrame.Hello hello = conn.receive(AgentFrame.Hello.class, WAIT);
                assertEquals(LinkJson.PROTOCOL, hello.protocol());
                assertEquals("kernel-test-node", hello.name());
                assertEquals(Map.of("role", "test"), hello.labels());
                assertEquals("tracepoint", hello.backend());
                assertEquals(HostFacts.bootId(), hello.bootId());
                assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), hello.kernel());
                assertEquals(System.getProperty("os.arch"), hello.arch());
                assertEquals(8, hello.maxSessions());
                assertEquals(List.of(), hello.sessions());
                assertTrue(hello.backends().contains(new AgentFrame.Backend("tracepoint", true, null)), hello.backends().toString());

                conn.send(new ServerFrame.Welcome(1, 0, 500));
                conn.send(new ServerFrame.Arm(1, "udp and dst port 9995", Map.of("filter-netns", "/run/netns/" + b), 0,
                        null));
                AgentFrame.Armed armed = conn.receive(AgentFrame.Armed.class, WAIT);
                assertEquals("tracepoint", armed.backend());
                conn.send(new ServerFrame.Start(1));

                // Traffic until a batch holds the datagram; acknowledge every batch as the server would.
                Event seen = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (seen == null && System.nanoTime() < deadline) {
                    NetnsLab.tryExec(a, "echo probe > /dev/udp/" + endB.ipv4() + "/9995");
                    String m;
                    try {
                        m = conn.receive(Duration.ofMillis(300));
                    } catch (AssertionError quiet) {
                        continue;
                    }
                    if (EventBatch.isBatch(m)) {
                        EventBatch batch = EventBatch.parse(m, 1 << 20);
                        conn.send(new ServerFrame.Ack(batch.seq()));
                        seen = batch.records().stream().filter(Event.class::isInstance).map(Event.class::cast)
                                .filter(e -> e.tuple() != null && e.tuple().dport() == 9995).findFirst().orElse(null);
                    } else if (LinkJsonParser.agentFrame(m) instanceof AgentFrame.Heartbeat beat) {
                        assertEquals(1, beat.sessions().size());
                    }
                }
                assertTrue(seen != null, Files.readString(dir.resolve("agent.log")));
                assertEquals(endB.ipv4(), seen.tuple().daddr());
                assertEquals(NetnsLab.inode(b), seen.netns());

                Shell.run("kill -TERM " + agent.pid());
                EventBatch last = conn.receiveBatch(WAIT);
                while (last.end() == null) {
                    conn.send(new ServerFrame.Ack(last.seq()));
                    last = conn.receiveBatch(WAIT);
                }
                assertEquals("stopped", last.end());
                assertTrue(last.records().get(last.records().size() - 1) instanceof SummaryRecord);
                conn.send(new ServerFrame.Ack(last.seq()));
                assertTrue(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the agent exits");
                String log = Files.readString(dir.resolve("agent.log"));
                assertEquals(0, agent.exitValue(), log);
                assertTrue(log.contains("skbtrail-agent: connected to ws://127.0.0.1:"), log);
                assertTrue(log.contains("skbtrail-agent: session 1: armed"), log);
                assertTrue(log.contains("skbtrail-agent: session 1: ended (stopped): matched"), log);
                assertTrue(log.endsWith("skbtrail-agent: stopped\n"), log);
                assertTrue(!log.contains("kernel-test-token"), "the token is never logged");
            } finally {
                agent.destroyForcibly();
            }
        }
    }
}
