package io.skbtrail.server;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.LinkJsonParser;
import io.skbtrail.protocol.ServerFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A scripted stand-in for an agent on the agent link ({@code /api/agent/link}), for tests only: it connects
 * with a token, sends whatever raw text frames the test gives it, records every frame the server sends and
 * the close code and reason.
 *
 * <p>It stands in for an agent only where the real one cannot produce the frames a test needs: malformed,
 * oversized or out-of-order frames, lying batch counts, sessions it was never asked to trace. Tests of what
 * a working agent does run the real agent process (see {@code fleet/}). It never answers anything by itself
 * (pings included): every frame it sends is in the test's script.
 */
public final class ScriptedAgentClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** How the server closed the link. */
    public record Closed(int code, String reason) {}

    /** The server refused the WebSocket upgrade with this HTTP status. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status) {
            super("upgrade refused with HTTP " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final java.util.Set<Integer> taken = new java.util.HashSet<>();

    private ScriptedAgentClient(int port, String token) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            socket = builder.buildAsync(URI.create("ws://localhost:" + port + "/api/agent/link"), new Listener())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse().statusCode());
            }
            throw new IllegalStateException("agent link: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("agent link: " + e, e);
        }
    }

    /**
     * Opens the link with this agent token (null: no Authorization header).
     *
     * @throws Refused when the server answers the upgrade with an HTTP error
     */
    public static ScriptedAgentClient connect(int port, String token) {
        return new ScriptedAgentClient(port, token);
    }

    /** Sends one raw text frame, exactly as given. */
    public ScriptedAgentClient send(String text) {
        try {
            socket.sendText(text, true).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // the server may close while a large frame is still going out; the close code tells what happened
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("sending a frame: " + e, e);
        }
        return this;
    }

    /** Sends raw bytes as one binary frame (how agents send event batches). */
    public ScriptedAgentClient sendBinary(byte[] bytes) {
        try {
            socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // the server may close first; the close code tells what happened
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("sending a frame: " + e, e);
        }
        return this;
    }

    /**
     * Sends one text frame as several WebSocket fragments of {@code partChars} characters, as a client
     * streaming a large frame does. (java.net.http sends a single huge fragment that the server then refuses
     * as invalid UTF-8, 1007, once it is about 32 MiB: a client quirk this test client stays clear of.)
     */
    public ScriptedAgentClient sendInParts(String text, int partChars) {
        try {
            for (int from = 0; from < text.length(); from += partChars) {
                int to = Math.min(text.length(), from + partChars);
                socket.sendText(text.substring(from, to), to == text.length()).get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            // the server closed the link part-way; the close code tells why
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("sending a frame: " + e, e);
        }
        return this;
    }

    /** Sends a well-formed control frame. */
    public ScriptedAgentClient send(AgentFrame frame) {
        return send(LinkJson.encode(frame));
    }

    /** Every text frame the server sent, in order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** The server's frames parsed, in order. */
    public List<ServerFrame> frames() {
        return received.stream().map(LinkJsonParser::serverFrame).toList();
    }

    /** Whether the server sent any frame of this type so far. */
    public boolean hasReceived(Class<? extends ServerFrame> type) {
        return frames().stream().anyMatch(type::isInstance);
    }

    /**
     * The first frame of this type that no {@code await} returned yet (frames of other types, such as pings,
     * are passed over), waiting up to 10 s for it.
     */
    public <T extends ServerFrame> T await(Class<T> type) {
        return await(type, f -> true);
    }

    /** Like {@link #await(Class)}, for the next frame of this type that also matches {@code which}. */
    public synchronized <T extends ServerFrame> T await(Class<T> type, Predicate<T> which) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<String> frames = received();
            for (int i = 0; i < frames.size(); i++) {
                ServerFrame frame = LinkJsonParser.serverFrame(frames.get(i));
                if (!taken.contains(i) && type.isInstance(frame) && which.test(type.cast(frame))) {
                    taken.add(i);
                    return type.cast(frame);
                }
            }
            if (closed.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("no " + type.getSimpleName() + " frame from the server; received "
                        + frames + (closed.isDone() ? ", closed " + closed.join() : ""));
            }
            TestWebSockets.pause();
        }
    }

    /** How the server closed the link, waiting up to 10 s. */
    public Closed awaitClose() {
        try {
            return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the link; received " + received());
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the server has not closed the link (yet). */
    public boolean isOpen() {
        return !closed.isDone() && !socket.isInputClosed();
    }

    /** Closes the link normally (1000), as an agent that is shut down does. */
    @Override
    public void close() {
        TestWebSockets.closeNormally(socket, closed, WAIT.toSeconds());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
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
