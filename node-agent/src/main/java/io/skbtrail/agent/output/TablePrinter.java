package io.skbtrail.agent.output;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * pwru's text table, one line per event:
 *
 * <pre>
 * SKB                CPU PROCESS          NETNS      MARK/x        IFACE       PROTO  MTU   LEN   TUPLE                                 FUNC
 * 0xffff8b7d9462c600 3   curl:227116      4026531840 0             eth0:2      0x0800 1500  60    192.168.1.39:43210->1.0.0.1:8080(tcp) ip_local_out
 * </pre>
 *
 * <p>Columns and widths follow pwru: SKB 18, CPU 3, PROCESS 16 ({@code comm:pid}, {@code ~}-truncated
 * on the left), then with {@link OutputOptions#meta()} NETNS 10, MARK/x 8 (hex), IFACE 16 centred
 * ({@code name:ifindex}, or the bare ifindex), PROTO 6, MTU 5, LEN 5; TUPLE
 * {@code saddr:sport->daddr:dport(proto)} ({@code -} without a tuple) padded to the longest seen so far;
 * FUNC as {@code func(DROP_REASON) @location}; CALLER last. ABSOLUTE adds a leading TIME column,
 * CURRENT and RELATIVE a TIMESTAMP column after PROCESS. Stack frames, the skb dump and the packet hex
 * dump follow on indented lines. The header is printed once, before the first event. Loss and summary
 * records are {@code #} comment lines. Control characters in names are shown as {@code ?}.
 */
public final class TablePrinter extends EventPrinter {

    /** Prefix of the stack, skb dump and packet lines under an event. */
    static final String INDENT = "    ";

    private final OutputOptions options;
    private final LocalTimestamp absoluteTime;
    private final PacketDeltas deltas;
    private boolean headerPrinted;
    /** Grows to the longest tuple and function text seen so far, as in pwru. */
    private int tupleWidth = "TUPLE".length();
    private int funcWidth = "FUNC".length();

    /** A table printer showing ABSOLUTE times in the system's default zone. */
    public TablePrinter(OutputOptions options, OutputSink sink) {
        this(options, sink, ZoneId.systemDefault());
    }

    /** A table printer showing ABSOLUTE times in {@code zone}. */
    public TablePrinter(OutputOptions options, OutputSink sink, ZoneId zone) {
        super(options, sink);
        this.options = options;
        this.absoluteTime = options.timestamp() == OutputOptions.Timestamp.ABSOLUTE ? new LocalTimestamp(zone) : null;
        this.deltas = options.timestamp() == OutputOptions.Timestamp.RELATIVE ? new PacketDeltas() : null;
    }

    @Override
    void formatEvent(StringBuilder out, Event e) {
        String tuple = options.tuple() ? tupleText(e.tuple()) : null;
        String func = funcText(e);
        if (tuple != null) {
            tupleWidth = Math.max(tupleWidth, tuple.length());
        }
        funcWidth = Math.max(funcWidth, func.length());
        if (!headerPrinted) {
            appendHeader(out);
            headerPrinted = true;
        }
        appendRow(out, e, tuple, func);
        appendDetails(out, e);
    }

    private boolean timestampColumn() {
        return options.timestamp() == OutputOptions.Timestamp.CURRENT
                || options.timestamp() == OutputOptions.Timestamp.RELATIVE;
    }

    private void appendHeader(StringBuilder out) {
        if (absoluteTime != null) {
            TableText.appendPadded(out, "TIME", LocalTimestamp.WIDTH);
            out.append(' ');
        }
        TableText.appendPadded(out, "SKB", 18);
        out.append(' ');
        TableText.appendPadded(out, "CPU", 3);
        out.append(' ');
        TableText.appendPadded(out, "PROCESS", 16);
        if (timestampColumn()) {
            out.append(' ');
            TableText.appendPadded(out, "TIMESTAMP", 16);
        }
        if (options.meta()) {
            out.append(' ');
            TableText.appendPadded(out, "NETNS", 10);
            out.append(' ');
            TableText.appendPadded(out, "MARK/x", 8);
            out.append(' ');
            TableText.appendCentred(out, "IFACE", 16);
            out.append(' ');
            TableText.appendPadded(out, "PROTO", 6);
            out.append(' ');
            TableText.appendPadded(out, "MTU", 5);
            out.append(' ');
            TableText.appendPadded(out, "LEN", 5);
        }
        if (options.tuple()) {
            out.append(' ');
            TableText.appendPadded(out, "TUPLE", tupleWidth);
        }
        out.append(' ');
        if (options.caller()) {
            TableText.appendPadded(out, "FUNC", funcWidth);
            out.append(" CALLER");
        } else {
            out.append("FUNC");
        }
        out.append('\n');
    }

    private void appendRow(StringBuilder out, Event e, String tuple, String func) {
        if (absoluteTime != null) {
            int start = out.length();
            absoluteTime.append(out, e.time());
            TableText.appendSpaces(out, LocalTimestamp.WIDTH - (out.length() - start));
            out.append(' ');
        }
        TableText.appendPadded(out, TableText.visible(e.skb()), 18);
        out.append(' ');
        TableText.appendPadded(out, e.cpu(), 3);
        out.append(' ');
        TableText.appendPadded(out, TableText.truncateLeft(TableText.visible(e.process()) + ":" + e.pid(), 16), 16);
        if (timestampColumn()) {
            out.append(' ');
            long value = deltas != null ? deltas.next(e.packetId(), e.ktimeNs()) : e.ktimeNs();
            TableText.appendPadded(out, value, 16);
        }
        if (options.meta()) {
            out.append(' ');
            TableText.appendPadded(out, e.netns(), 10);
            out.append(' ');
            TableText.appendPadded(out, Long.toHexString(e.mark()), 8);
            out.append(' ');
            String iface = e.iface() == null
                    ? Integer.toString(e.ifindex())
                    : TableText.visible(e.iface()) + ":" + e.ifindex();
            TableText.appendCentred(out, TableText.truncateLeft(iface, 16), 16);
            out.append(' ');
            TableText.appendHex16(out, e.proto());
            out.append(' ');
            TableText.appendPadded(out, e.mtu(), 5);
            out.append(' ');
            TableText.appendPadded(out, e.len(), 5);
        }
        if (tuple != null) {
            out.append(' ');
            TableText.appendPadded(out, tuple, tupleWidth);
        }
        out.append(' ');
        if (options.caller()) {
            TableText.appendPadded(out, func, funcWidth);
            out.append(' ').append(e.caller() == null ? "-" : TableText.visible(e.caller()));
        } else {
            out.append(func);
        }
        out.append('\n');
    }

    private String tupleText(Event.Tuple t) {
        if (t == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(64);
        appendAddress(sb, t.saddr());
        sb.append(':').append(t.sport()).append("->");
        appendAddress(sb, t.daddr());
        sb.append(':').append(t.dport()).append('(').append(TableText.visible(t.proto()));
        if (options.tcpFlags() && !t.tcpFlags().isEmpty()) {
            sb.append(':').append(TableText.visible(t.tcpFlags()));
        }
        return sb.append(')').toString();
    }

    private static void appendAddress(StringBuilder sb, String address) {
        String visible = TableText.visible(address);
        if (visible.indexOf(':') >= 0) {
            sb.append('[').append(visible).append(']');
        } else {
            sb.append(visible);
        }
    }

    private static String funcText(Event e) {
        String func = TableText.visible(e.func());
        if (e.dropReason() == null && e.location() == null) {
            return func;
        }
        StringBuilder sb = new StringBuilder(func.length() + 48).append(func);
        if (e.dropReason() != null) {
            sb.append('(').append(TableText.visible(e.dropReason())).append(')');
        }
        if (e.location() != null) {
            sb.append(" @").append(TableText.visible(e.location()));
        }
        return sb.toString();
    }

    private void appendDetails(StringBuilder out, Event e) {
        List<String> stack = e.stack();
        if (options.stack() && stack != null) {
            for (String frame : stack) {
                out.append(INDENT).append(frame == null ? "?" : TableText.visible(frame)).append('\n');
            }
        }
        if (options.skbDump() && e.skbDump() != null) {
            String[] lines = e.skbDump().split("\n", -1);
            int count = lines.length;
            if (count > 1 && lines[count - 1].isEmpty()) {
                count--;
            }
            for (int i = 0; i < count; i++) {
                out.append(INDENT).append(TableText.visible(lines[i])).append('\n');
            }
        }
        if (options.packetBytes() > 0 && e.packet() != null) {
            HexDump.append(out, INDENT, e.packet(), options.packetBytes());
        }
    }

    @Override
    void formatLoss(StringBuilder out, LossRecord loss) {
        out.append("# lost ").append(loss.count()).append(" events at ").append(TableText.visible(loss.hop()))
                .append(" (total ").append(loss.total()).append(")\n");
    }

    @Override
    void formatSummary(StringBuilder out, SummaryRecord s) {
        long millis = s.durationNs() / 1_000_000;
        String fraction = Long.toString(1000 + millis % 1000).substring(1);
        out.append("# summary: backend ").append(TableText.visible(s.backend())).append(", ")
                .append(s.probes()).append(s.probes() == 1 ? " probe, " : " probes, ")
                .append(millis / 1000).append('.').append(fraction).append(" s\n");
        out.append("# summary: matched ").append(s.matched())
                .append(", delivered ").append(s.delivered())
                .append(", printed ").append(s.printed())
                .append("; lost: ");
        if (s.lost().isEmpty()) {
            out.append("none");
        } else {
            String separator = "";
            for (Map.Entry<String, Long> hop : new TreeMap<>(s.lost()).entrySet()) {
                out.append(separator).append(TableText.visible(hop.getKey())).append('=').append(hop.getValue());
                separator = ", ";
            }
        }
        out.append('\n');
    }
}
