package io.skbtrail.agent.link;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.LinkJson;
import io.skbtrail.protocol.LinkJsonParser;
import io.skbtrail.protocol.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server end of the agent link for tests, on 127.0.0.1 only: a small RFC 6455 WebSocket server (no
 * extensions) that checks the bearer token, answers 401 (or any status) when told to, and lets a test read
 * the agent's frames and write server frames, whole or in fragments.
 */
final class TestLinkServer implements AutoCloseable {
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket listener;
    private final String token;
    private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final CopyOnWriteArrayList<Conn> all = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile int refuseWith;

    TestLinkServer(String token) throws IOException {
        this.token = token;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "test-link-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URL an agent is given with --server. */
    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Answers the next handshakes with this HTTP status instead of 101 (0: accept again). */
    void refuseWith(int status) {
        refuseWith = status;
    }

    /** Waits for the next WebSocket the agent opens. */
    Conn awaitConnection(Duration timeout) throws InterruptedException {
        Conn c = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("the agent did not connect within " + timeout);
        }
        return c;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread t = new Thread(() -> handshake(s), "test-link-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handshake(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            Map<String, String> headers = new LinkedHashMap<>();
            String requestLine = readLine(in);
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            OutputStream out = socket.getOutputStream();
            int status = refuseWith;
            if (status == 0 && !("Bearer " + token).equals(headers.get("authorization"))) {
                status = 401;
            }
            if (status == 0 && !requestLine.startsWith("GET " + ServerAddress.LINK_PATH + " ")) {
                status = 404;
            }
            if (status != 0) {
                out.write(("HTTP/1.1 " + status + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.close();
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((headers.get("sec-websocket-key") + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Conn conn = new Conn(socket, headers);
            all.add(conn);
            accepted.add(conn);
            conn.readLoop();
        } catch (Exception e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed in the handshake");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Conn c : all) {
            c.drop();
        }
    }

    /** One WebSocket from the agent. */
    static final class Conn {
        private final Socket socket;
        private final Map<String, String> headers;
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        private volatile int closeCode = -1;

        Conn(Socket socket, Map<String, String> headers) {
            this.socket = socket;
            this.headers = headers;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        private void readLoop() throws IOException {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    int b1 = in.readUnsignedByte();
                    boolean fin = (b0 & 0x80) != 0;
                    int opcode = b0 & 0x0f;
                    long len = b1 & 0x7f;
                    if (len == 126) {
                        len = in.readUnsignedShort();
                    } else if (len == 127) {
                        len = in.readLong();
                    }
                    byte[] mask = new byte[4];
                    if ((b1 & 0x80) != 0) {
                        in.readFully(mask);
                    }
                    byte[] payload = new byte[(int) len];
                    in.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    switch (opcode) {
                        case 0x0, 0x1, 0x2 -> { // batches come as binary frames of UTF-8 text
                            message.write(payload);
                            if (fin) {
                                messages.add(message.toString(StandardCharsets.UTF_8));
                                message.reset();
                            }
                        }
                        case 0x8 -> {
                            closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                            synchronized (this) {
                                writeFrame(0x8, payload, true);
                            }
                            socket.close();
                            return;
                        }
                        case 0x9 -> {
                            synchronized (this) {
                                writeFrame(0xA, payload, true);
                            }
                        }
                        default -> { }
                    }
                }
            } catch (IOException e) {
                // the agent dropped the connection
            } finally {
                closed.countDown();
                socket.close();
            }
        }

        /** The next message from the agent (control frame or batch), or fails the test. */
        String receive(Duration timeout) throws InterruptedException {
            String m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message from the agent within " + timeout);
            }
            return m;
        }

        /** The next control frame, skipping batches and (unless asked for) heartbeats. */
        <T extends AgentFrame> T receive(Class<T> type, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String m = receive(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                if (EventBatch.isBatch(m)) {
                    continue;
                }
                AgentFrame f = LinkJsonParser.agentFrame(m);
                if (type.isInstance(f)) {
                    return type.cast(f);
                }
            }
        }

        /** The next event batch, skipping control frames. */
        EventBatch receiveBatch(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String m = receive(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                if (EventBatch.isBatch(m)) {
                    return EventBatch.parse(m, 1 << 20);
                }
            }
        }

        void send(ServerFrame frame) throws IOException {
            sendText(LinkJson.encode(frame));
        }

        synchronized void sendText(String text) throws IOException {
            writeFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
        }

        /** One text message in several WebSocket fragments. */
        synchronized void sendFragments(String... parts) throws IOException {
            for (int i = 0; i < parts.length; i++) {
                writeFrame(i == 0 ? 0x1 : 0x0, parts[i].getBytes(StandardCharsets.UTF_8), i == parts.length - 1);
            }
        }

        synchronized void sendBinary(byte[] data) throws IOException {
            writeFrame(0x2, data, true);
        }

        /** A close frame with this code; the agent answers and the socket closes. */
        synchronized void close(int code) throws IOException {
            writeFrame(0x8, new byte[] {(byte) (code >> 8), (byte) code}, true);
        }

        /** Drops the TCP connection without a close frame (a crashed server). */
        void drop() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }

        /** Waits until the connection is closed (by either side); returns the agent's close code, or -1. */
        int awaitClosed(Duration timeout) throws InterruptedException {
            if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the connection is still open after " + timeout);
            }
            return closeCode;
        }

        private void writeFrame(int opcode, byte[] payload, boolean fin) throws IOException {
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65536) {
                frame.write(126);
                frame.write(payload.length >> 8);
                frame.write(payload.length);
            } else {
                frame.write(127);
                for (int i = 7; i >= 0; i--) {
                    frame.write((int) ((long) payload.length >> (8 * i)));
                }
            }
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
        }
    }
}
