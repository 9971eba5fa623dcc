package io.skbtrail.server;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the tests' WebSocket clients (a scripted agent, a live viewer) do alike. */
public final class TestWebSockets {
    private TestWebSockets() {}

    /** Closes normally (1000) and waits up to {@code seconds} for the server's close; aborts if none comes. */
    public static void closeNormally(WebSocket socket, CompletableFuture<?> closed, long seconds) {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        try {
            closed.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            socket.abort();
        }
    }

    /** The polling step of the clients' waits. */
    public static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
