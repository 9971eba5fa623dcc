package io.skbtrail.server.downloads;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a capture file with the machine's libpcap (as tcpdump and everything built on libpcap would), with
 * nanosecond timestamps.
 */
public final class LibpcapReader {
    /** One packet as libpcap returns it. */
    public record Packet(long seconds, long nanos, int capturedLength, int originalLength, byte[] data) {}

    /** The file's link type and packets. */
    public record Capture(int linkType, List<Packet> packets) {}

    private interface Pcap extends Library {
        Pcap LIB = Native.load("pcap", Pcap.class);

        Pointer pcap_open_offline_with_tstamp_precision(String file, int precision, byte[] errbuf);

        int pcap_datalink(Pointer pcap);

        int pcap_next_ex(Pointer pcap, PointerByReference header, PointerByReference data);

        String pcap_geterr(Pointer pcap);

        void pcap_close(Pointer pcap);
    }

    private static final int PCAP_TSTAMP_PRECISION_NANO = 1;

    private LibpcapReader() {}

    public static Capture read(Path file) {
        byte[] err = new byte[256];
        Pointer pcap = Pcap.LIB.pcap_open_offline_with_tstamp_precision(file.toString(), PCAP_TSTAMP_PRECISION_NANO, err);
        if (pcap == null) {
            throw new AssertionError("libpcap cannot open the file: " + Native.toString(err));
        }
        try {
            List<Packet> packets = new ArrayList<>();
            PointerByReference header = new PointerByReference();
            PointerByReference data = new PointerByReference();
            int r;
            while ((r = Pcap.LIB.pcap_next_ex(pcap, header, data)) == 1) {
                // struct pcap_pkthdr on 64-bit Linux: struct timeval (two longs), caplen, len
                Pointer h = header.getValue();
                int caplen = h.getInt(16);
                packets.add(new Packet(h.getLong(0), h.getLong(8), caplen, h.getInt(20),
                        data.getValue().getByteArray(0, caplen)));
            }
            if (r != -2) {
                throw new AssertionError("libpcap stopped reading: " + Pcap.LIB.pcap_geterr(pcap));
            }
            return new Capture(Pcap.LIB.pcap_datalink(pcap), packets);
        } finally {
            Pcap.LIB.pcap_close(pcap);
        }
    }
}
