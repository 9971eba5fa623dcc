package io.skbtrail.server.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A live stream viewer for the server benchmark: subscribes to everything from the start of a session and
 * counts what it receives, what the server says it dropped, and what it says was missed (a gap in the stream).
 */
final class BenchViewer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebSocket socket;
    private volatile long received;
    private volatile long dropped;
    private volatile long missed;
    private volatile long statusSeq;

    BenchViewer(String serverUrl, String user, String password, long session) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", basic)
                .buildAsync(URI.create(serverUrl.replaceFirst("^http", "ws") + "/api/sessions/" + session + "/live"),
                        new Listener())
                .get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"subscribe\",\"after\":0,\"filter\":{}}", true).get(10, TimeUnit.SECONDS);
    }

    long received() {
        return received;
    }

    long dropped() {
        return dropped;
    }

    long missed() {
        return missed;
    }

    /** Waits up to {@code seconds} until the viewer has had (or been told it lost) every one of {@code total}. */
    boolean awaitAll(long total, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (received + dropped + missed < total || statusSeq < total) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode frame = JSON.readTree(partial.toString());
                partial.setLength(0);
                String type = frame.get("type").asString();
                if (type.equals("events")) {
                    received += frame.get("events").size();
                    dropped = frame.get("dropped").asLong();
                } else if (type.equals("missed")) {
                    missed += frame.get("count").asLong();
                } else if (type.equals("status")) {
                    dropped = frame.get("dropped").asLong();
                    statusSeq = frame.get("seq").asLong();
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
