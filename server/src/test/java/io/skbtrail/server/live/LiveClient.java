package io.skbtrail.server.live;

import io.skbtrail.server.TestWebSockets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A live stream client as a dashboard page or a script would be: a real WebSocket to the server, with the
 * headers a browser sends (session cookie, Origin) or a script's Basic credentials. It records every frame;
 * a client made with {@code reading=false} reads nothing until told to (a viewer that cannot keep up).
 */
final class LiveClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Closed(int code, String reason) {}

    /** The server refused the upgrade with this HTTP status. */
    static final class Refused extends RuntimeException {
        final int status;
        final String body;

        Refused(int status, String body) {
            super("upgrade refused with HTTP " + status + " " + body);
            this.status = status;
            this.body = body;
        }
    }

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final boolean reading;

    private LiveClient(int port, String path, Map<String, String> headers, boolean reading) {
        this.reading = reading;
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        try {
            socket = builder.buildAsync(URI.create("ws://localhost:" + port + path), new Listener())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                throw new Refused(refused.getResponse().statusCode(), body == null ? "" : body.toString());
            }
            throw new IllegalStateException("live stream: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("live stream: " + e, e);
        }
    }

    static LiveClient connect(int port, String path, Map<String, String> headers) {
        return new LiveClient(port, path, headers, true);
    }

    /** A client that reads nothing (its TCP window fills up) until {@link #startReading()}. */
    static LiveClient notReading(int port, String path, Map<String, String> headers) {
        return new LiveClient(port, path, headers, false);
    }

    void startReading() {
        socket.request(Long.MAX_VALUE);
    }

    LiveClient send(String text) {
        try {
            socket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("sending: " + e, e);
        }
        return this;
    }

    LiveClient subscribe(Long after, String filterJson) {
        return send("{\"type\":\"subscribe\",\"after\":" + after + ",\"filter\":" + (filterJson == null ? "{}" : filterJson) + "}");
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    List<JsonNode> frames(String type) {
        return frames.stream().filter(f -> f.get("type").asString().equals(type)).toList();
    }

    /** Every event of every events frame so far, in order. */
    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode f : frames("events")) {
            f.get("events").forEach(events::add);
        }
        return events;
    }

    /** The first frame of this type that matches, waiting for it. */
    JsonNode await(String type, Predicate<JsonNode> which) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (JsonNode f : frames) {
                if (f.get("type").asString().equals(type) && which.test(f)) {
                    return f;
                }
            }
            if (closed.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("no matching " + type + " frame; got " + summary()
                        + (closed.isDone() ? ", closed " + closed.join() : ""));
            }
            TestWebSockets.pause();
        }
    }

    JsonNode await(String type) {
        return await(type, f -> true);
    }

    /** Waits until the events received so far satisfy the condition. */
    List<JsonNode> awaitEvents(Predicate<List<JsonNode>> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<JsonNode> events = events();
            if (condition.test(events)) {
                return events;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("events not as expected within " + WAIT.toSeconds() + " s; have " + events.size()
                        + ": " + summary());
            }
            TestWebSockets.pause();
        }
    }

    Closed awaitClose() {
        try {
            return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the stream; got " + summary());
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    /** Frame types with counts, for failure messages. */
    String summary() {
        StringBuilder s = new StringBuilder();
        for (JsonNode f : frames) {
            String type = f.get("type").asString();
            s.append(type.equals("events") ? "events(" + f.get("events").size() + ",seq " + f.get("seq") + ",dropped "
                    + f.get("dropped") + ")" : type.equals("status") ? "status" : f.toString()).append(' ');
        }
        return s.toString();
    }

    @Override
    public void close() {
        TestWebSockets.closeNormally(socket, closed, 5);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(Long.MAX_VALUE);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }
    }
}
