package io.skbtrail.agent.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends UDP datagrams at a fixed rate (not a flood): {@code UdpSender HOST PORT PACKETS_PER_SECOND SECONDS}.
 * Prints the number sent. Runs inside a test namespace ({@code ip netns exec}).
 */
public final class UdpSender {
    private UdpSender() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long rate = Long.parseLong(args[2]);
        double seconds = Double.parseDouble(args[3]);
        ByteBuffer payload = ByteBuffer.allocate(32);
        long sent = 0;
        try (DatagramChannel channel = DatagramChannel.open()) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now;
            while ((now = System.nanoTime()) < end) {
                long due = (long) ((now - start) * 1e-9 * rate);
                while (sent < due) {
                    payload.clear();
                    channel.send(payload, target);
                    sent++;
                }
                if (sent >= due) {
                    Thread.onSpinWait();
                }
            }
        }
        System.out.println(sent);
    }
}
