package io.skbtrail.protocol;

import java.time.Instant;
import java.util.Random;

/**
 * JMH-free measurement of event line parsing: the strict parser alone ({@link EventJsonParser#parseStrict})
 * against {@link EventJsonParser#parse} (fast path), and {@link EventBatch#parse} per line, over realistic
 * event lines (tuple, fingerprint, no stack, about 700 characters). Warms up first, then prints ns/line. Run
 * after {@code mvn -pl protocol test-compile}:
 *
 * <pre>
 * java -cp protocol/target/classes:protocol/target/test-classes io.skbtrail.protocol.EventParseBench [ROUNDS] [--older]
 * </pre>
 *
 * {@code --older}: the lines as an agent older than {@code fp}, {@code encap} and {@code ct} writes them.
 *
 * Not a test: no assertions beyond a sanity check, and it is not picked up by surefire (no {@code Test}
 * in the name).
 */
public final class EventParseBench {

    private static final int DISTINCT = 10_000;
    private static final int PARSES = 1_000_000;
    private static final int BATCH = 1_000;

    private interface Parser {
        WireRecord parse(String line);
    }

    public static void main(String[] args) {
        boolean older = java.util.Arrays.asList(args).contains("--older");
        String[] lines = lines(new Random(7), older);
        long chars = 0;
        for (String line : lines) {
            chars += line.length();
            if (!EventJsonParser.parseStrict(line, 1 << 20).equals(EventJsonParser.parse(line, 1 << 20))) {
                throw new AssertionError(line);
            }
        }
        System.out.printf("%d distinct lines, average %d characters; %d parses per round%n",
                DISTINCT, chars / DISTINCT, PARSES);
        String[] frames = frames(lines);
        int rounds = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 5;
        for (int round = 1; round <= rounds; round++) {
            String tag = round <= 2 ? "warm-up" : "round " + (round - 2);
            double strict = measure(lines, line -> EventJsonParser.parseStrict(line, 1 << 20));
            double fast = measure(lines, line -> EventJsonParser.parse(line, 1 << 20));
            double batch = measureBatches(frames);
            System.out.printf("%-8s strict %6.0f ns/line   fast %6.0f ns/line   batch(fast) %6.0f ns/line   x%.1f%n",
                    tag, strict, fast, batch, strict / fast);
        }
    }

    private static double measure(String[] lines, Parser parser) {
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < PARSES; i++) {
            sink += ((Event) parser.parse(lines[i % DISTINCT])).seq();
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.print("");
        }
        return (double) elapsed / PARSES;
    }

    private static double measureBatches(String[] frames) {
        long sink = 0;
        int parsed = 0;
        long start = System.nanoTime();
        for (int i = 0; parsed < PARSES; i++) {
            EventBatch batch = EventBatch.parse(frames[i % frames.length], 1 << 20);
            sink += batch.records().size();
            parsed += BATCH;
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.print("");
        }
        return (double) elapsed / parsed;
    }

    /** Events like a busy kfree_skb trace: tuple, fingerprint, no stack, no dump, a short packet prefix. */
    private static String[] lines(Random random, boolean older) {
        EventJson json = new EventJson();
        String[] funcs = {"kfree_skb_reason", "ip_rcv_core", "__netif_receive_skb_core", "tcp_v4_rcv", "ip_output"};
        String[] reasons = {null, "NETFILTER_DROP", "NO_SOCKET", "TCP_INVALID_SEQUENCE"};
        String[] lines = new String[DISTINCT];
        Instant t0 = Instant.parse("2026-11-24T21:27:03.000000123Z");
        for (int i = 0; i < DISTINCT; i++) {
            String func = funcs[random.nextInt(funcs.length)];
            Event event = Event.builder()
                    .time(t0.plusNanos(i * 13_579L))
                    .ktimeNs(81_234_567_890_123L + i * 13_579L)
                    .bootId("5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10")
                    .seq(1_000_000 + i)
                    .cpu(random.nextInt(64))
                    .process(random.nextBoolean() ? "nginx" : "swapper/" + random.nextInt(8))
                    .pid(random.nextInt(4_000_000))
                    .skb("0xffff8b7d" + Long.toHexString(0x9000_0000L + random.nextInt(1 << 28)))
                    .packetId(i / 3)
                    .probeType(Event.ProbeType.KPROBE_MULTI)
                    .func(func)
                    .location(func.startsWith("kfree") ? "nf_hook_slow+0x9e" : null)
                    .dropReason(func.startsWith("kfree") ? reasons[random.nextInt(reasons.length)] : null)
                    .netns(4_026_531_840L)
                    .mark(random.nextInt(4))
                    .ifindex(2)
                    .iface("eth0")
                    .proto(0x0800)
                    .mtu(1500)
                    .len(40 + random.nextInt(1400))
                    .tuple(new Event.Tuple("192.168.1." + random.nextInt(255), "10.20." + random.nextInt(255) + "."
                            + random.nextInt(255), 1024 + random.nextInt(60_000), 443, "tcp", "ACK|PSH"))
                    .caller("nf_hook_slow")
                    .fp(older ? null : new Event.Fingerprint(random.nextInt(65536), random.nextLong() & 0xffff_ffffL,
                            random.nextLong() & 0xffff_ffffL, random.nextInt(1400), null, 0))
                    .build();
            lines[i] = json.toJson(event);
            if (older) {
                lines[i] = lines[i].substring(0, lines[i].lastIndexOf(",\"fp\":")) + "}";
            }
        }
        return lines;
    }

    private static String[] frames(String[] lines) {
        String[] frames = new String[DISTINCT / BATCH];
        for (int f = 0; f < frames.length; f++) {
            StringBuilder sb = EventBatch.appendHeader(new StringBuilder(), f + 1, 1, BATCH, null);
            for (int i = 0; i < BATCH; i++) {
                sb.append(lines[f * BATCH + i]).append('\n');
            }
            frames[f] = sb.toString();
        }
        return frames;
    }
}
