package io.skbtrail.agent.link;

import io.skbtrail.protocol.LinkJsonParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One WebSocket to the server.
 *
 * <p>Receiving: the JDK calls {@link #onText} with parts of a message; they are joined (a message may come
 * in fragments) and handed whole to the frame handler, one at a time, on the JDK's thread.
 *
 * <p>Sending: a Java WebSocket allows one outstanding text send, so one sender thread sends everything:
 * control frames first (a pong waits at most for the batch already on the wire, never behind a queue of
 * batches), then, once welcomed, the outbox's batches in seq order from where the server's
 * acknowledgement left off. Nobody else waits on the network: sessions seal batches into the outbox and
 * go on.
 */
final class Connection implements WebSocket.Listener {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A send that takes longer means the server or the path is stuck: the link is dropped and redialled. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    /** How long a closing connection waits for the server's close frame before dropping TCP. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final long IDLE_PARK_NANOS = 100_000_000L;

    private final URI uri;
    private final Outbox outbox;
    private final AgentLog log;
    private final FrameAssembler assembler = new FrameAssembler(LinkJsonParser.MAX_CONTROL_FRAME);
    private final ConcurrentLinkedQueue<String> control = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    /** Completes when nothing more can come from the server (its close frame, or the connection's end). */
    private final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    private volatile Consumer<String> handler = message -> { };
    private volatile WebSocket socket;
    private volatile Thread sender;
    private volatile boolean welcomed;
    private volatile long sentSeq;
    private volatile long lastHeard = System.nanoTime();

    Connection(URI uri, Outbox outbox, AgentLog log) {
        this.uri = uri;
        this.outbox = outbox;
        this.log = log;
    }

    /** Where whole messages go (the frame dispatcher); set before {@link #open}. */
    void onMessage(Consumer<String> handler) {
        this.handler = handler;
    }

    /**
     * Opens the WebSocket with the token and sends {@code firstFrame} (the hello) before anything else.
     *
     * @throws TokenRefusedException the server answered 401 or 403
     * @throws IOException any other failure, with a message for the log
     */
    void open(HttpClient http, String token, String firstFrame) throws TokenRefusedException, IOException {
        control.add(firstFrame);
        CompletableFuture<WebSocket> opening = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(CONNECT_TIMEOUT)
                .buildAsync(uri, this);
        try {
            socket = opening.get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof WebSocketHandshakeException handshake) {
                int status = handshake.getResponse().statusCode();
                if (status == 401 || status == 403) {
                    throw new TokenRefusedException(status);
                }
                throw new IOException("the server answered HTTP " + status + " instead of opening the link");
            }
            throw new IOException(describe(cause), cause);
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw new IOException("no answer within " + (CONNECT_TIMEOUT.toSeconds() + 5) + " s");
        } catch (InterruptedException e) {
            opening.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        Thread t = new Thread(this::sendLoop, "link-sender");
        t.setDaemon(true);
        sender = t;
        t.start();
    }

    private static String describe(Throwable cause) {
        if (cause instanceof ConnectException) {
            return "connection refused" + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** Queues a control frame (JSON text) ahead of batches. */
    void sendControl(String text) {
        if (!closed.isDone()) {
            control.add(text);
            wake();
        }
    }

    /** Batches may be sent from now on, starting after {@code ackedSeq}. */
    void welcomed(long ackedSeq) {
        sentSeq = ackedSeq;
        welcomed = true;
        wake();
    }

    boolean isWelcomed() {
        return welcomed;
    }

    long sentSeq() {
        return sentSeq;
    }

    /** Wakes the sender (a control frame is queued or a batch sealed). */
    void wake() {
        Thread t = sender;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Completes with the reason once the connection is closed, from either side. */
    CompletableFuture<String> closed() {
        return closed;
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** After {@link #close}: waits (at most {@code timeout}) for the server to answer the close frame. */
    void awaitServerClose(Duration timeout) {
        try {
            inputClosed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // closed without the handshake: the TCP connection is dropped anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Nanoseconds since anything (a message, a pong) came from the server. */
    long silentNanos() {
        return System.nanoTime() - lastHeard;
    }

    /**
     * Sends a WebSocket ping: the server's automatic pong shows it and the path still work, and a failed
     * write shows they do not. (The JDK's client does not always report a TCP connection the server dropped
     * while the agent had nothing to send; a write does.)
     */
    void ping() {
        WebSocket ws = socket;
        if (ws != null && !closed.isDone()) {
            try {
                ws.sendPing(ByteBuffer.allocate(0)).whenComplete((w, e) -> {
                    if (e != null) {
                        lost("ping failed: " + describe(e instanceof java.util.concurrent.CompletionException
                                && e.getCause() != null ? e.getCause() : e));
                    }
                });
            } catch (IllegalStateException e) {
                // the previous ping is still being sent: the path is slow, the silence check will tell
            }
        }
    }

    /** Closes from this side with a close frame (code and reason), then drops the TCP connection. */
    void close(int code, String reason) {
        if (!closed.complete(reason)) {
            return;
        }
        wake();
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        try {
            // The server answers the close frame and the JDK then closes the TCP connection; aborting at once
            // could reset it before the server read the close frame. Abort only if that takes too long.
            String shortReason = reason.length() > 60 ? reason.substring(0, 60) : reason;
            ws.sendClose(code, shortReason).whenComplete((w, e) -> {
                if (e != null) {
                    ws.abort();
                } else {
                    CompletableFuture.delayedExecutor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(ws::abort);
                }
            });
        } catch (RuntimeException e) {
            ws.abort();
        }
    }

    private void sendLoop() {
        while (!closed.isDone()) {
            String text = control.poll();
            byte[] batchFrame = null;
            if (text == null && welcomed) {
                SealedBatch batch = outbox.nextAfter(sentSeq);
                if (batch != null) {
                    batchFrame = batch.frame();
                    // Before the send: an ack may arrive before the send's completion does.
                    sentSeq = batch.seq();
                }
            }
            if (text == null && batchFrame == null) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            try {
                // Batches go as binary frames holding their UTF-8 text (link protocol 1 allows both): the
                // server then decodes megabytes at once instead of character by character.
                (batchFrame != null ? socket.sendBinary(ByteBuffer.wrap(batchFrame), true)
                        : socket.sendText(text, true)).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                lost("sending failed: " + describe(cause));
                return;
            } catch (TimeoutException e) {
                lost("a send took more than " + SEND_TIMEOUT.toSeconds() + " s");
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                lost("sending failed: " + e);
                return;
            }
        }
    }

    private void lost(String reason) {
        inputClosed.complete(null);
        if (closed.complete(reason)) {
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort();
            }
        }
    }

    // --- WebSocket.Listener: the JDK's thread, one call at a time ---

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastHeard = System.nanoTime();
        String message = null;
        try {
            message = assembler.add(data, last);
        } catch (IllegalArgumentException e) {
            log.say("closing the link: the server sent " + e.getMessage() + " (control frames are smaller)");
            close(FrameDispatcher.PROTOCOL_ERROR, "message too big");
        }
        if (message != null && !closed.isDone()) {
            try {
                handler.accept(message);
            } catch (RuntimeException e) {
                log.say("internal error handling a frame from the server: " + e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastHeard = System.nanoTime();
        if (!closed.isDone()) {
            log.say("closing the link: the server sent a binary message (the agent link carries text only)");
            close(FrameDispatcher.PROTOCOL_ERROR, "binary messages are not part of the protocol");
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastHeard = System.nanoTime(); // the JDK answers with a pong itself
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        inputClosed.complete(null);
        closed.complete("the server closed the link (" + statusCode + (reason == null || reason.isEmpty() ? ""
                : " " + reason) + ")");
        wake();
        return null; // the JDK answers with a close frame
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost("link error: " + describe(error));
        wake();
    }
}
