package io.skbtrail.server.downloads;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a pcap-ng file (the block format of draft-ietf-opsawg-pcapng): one section header, interface
 * descriptions as they are first needed, and enhanced packet blocks with nanosecond timestamps and a
 * comment. Little-endian, as written by the host that reads it most likely is.
 */
public final class PcapngWriter {
    public static final int LINKTYPE_ETHERNET = 1;

    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 0x00000001;
    private static final int EPB = 0x00000006;
    private static final int OPT_END = 0;
    private static final int OPT_COMMENT = 1;
    private static final int SHB_USERAPPL = 4;
    private static final int IF_NAME = 2;
    private static final int IF_DESCRIPTION = 3;
    private static final int IF_TSRESOL = 9;
    /** Comments and names are cut to this many bytes (an option's length is 16 bits). */
    private static final int MAX_TEXT = 4096;

    private final OutputStream out;
    private int interfaces;

    public PcapngWriter(OutputStream out) {
        this.out = out;
    }

    /** The section header; first. */
    public void sectionHeader(String application, String comment) throws IOException {
        Block b = new Block(SHB, 64 + text(application).length + text(comment).length);
        b.buf.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        b.option(SHB_USERAPPL, text(application));
        b.option(OPT_COMMENT, text(comment));
        b.finish(out);
    }

    /**
     * An interface description, before its first packet; timestamps in nanoseconds ({@code if_tsresol} 9).
     *
     * @return its interface id, for {@link #packet}
     */
    public int interfaceDescription(int linkType, String name, String description) throws IOException {
        Block b = new Block(IDB, 64 + text(name).length + text(description).length);
        b.buf.putShort((short) linkType).putShort((short) 0).putInt(0); // snaplen 0: not limited
        b.option(IF_NAME, text(name));
        b.option(IF_DESCRIPTION, text(description));
        b.option(IF_TSRESOL, new byte[] {9});
        b.finish(out);
        return interfaces++;
    }

    /** An enhanced packet block: {@code data} as captured, the packet's original length, a comment. */
    public void packet(int interfaceId, long epochNanos, byte[] data, int originalLength, String comment) throws IOException {
        byte[] c = text(comment);
        Block b = new Block(EPB, 48 + pad(data.length) + c.length);
        b.buf.putInt(interfaceId).putInt((int) (epochNanos >>> 32)).putInt((int) epochNanos).putInt(data.length)
                .putInt(Math.max(originalLength, data.length));
        b.buf.put(data);
        b.padTo4();
        b.option(OPT_COMMENT, c);
        b.finish(out);
    }

    private static byte[] text(String s) {
        if (s == null) {
            return new byte[0];
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_TEXT) {
            return b;
        }
        // Cut at a character boundary.
        int n = MAX_TEXT;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--;
        }
        return java.util.Arrays.copyOf(b, n);
    }

    private static int pad(int n) {
        return (n + 3) & ~3;
    }

    /** One block: type, length, body, options, length again. */
    private static final class Block {
        final ByteBuffer buf;
        private boolean options;

        Block(int type, int capacity) {
            buf = ByteBuffer.allocate(pad(capacity) + 16).order(ByteOrder.LITTLE_ENDIAN);
            buf.putInt(type).putInt(0);
        }

        void option(int code, byte[] value) {
            if (value.length == 0) {
                return;
            }
            buf.putShort((short) code).putShort((short) value.length).put(value);
            padTo4();
            options = true;
        }

        void padTo4() {
            while (buf.position() % 4 != 0) {
                buf.put((byte) 0);
            }
        }

        void finish(OutputStream out) throws IOException {
            if (options) {
                buf.putShort((short) OPT_END).putShort((short) 0);
            }
            int length = buf.position() + 4;
            buf.putInt(length);
            buf.putInt(4, length);
            out.write(buf.array(), 0, length);
        }
    }
}
