package io.skbtrail.filter.libpcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Static entry points into the system libpcap. Programs cross this boundary as raw {@code struct bpf_insn}
 * arrays (8 bytes per instruction, native byte order: u16 code, u8 jt, u8 jf, u32 k).
 *
 * <p>All calls are serialized: libpcap's compiler keeps global state in older versions and
 * {@code bpf_image} returns a static buffer.
 */
public final class Libpcap {

    /** Ethernet link type: the program sees the frame from the destination MAC on. */
    public static final int DLT_EN10MB = 1;
    /** Raw IP link type (Linux value): the program sees the packet from the IPv4/IPv6 header on. */
    public static final int DLT_RAW = 12;
    /** Size of one {@code struct bpf_insn}. */
    public static final int INSN_SIZE = 8;

    private static final int SNAPLEN = 262144;
    private static final int NETMASK_UNKNOWN = 0xffffffff;
    private static final String MISSING = "libpcap not found: install it (Debian: apt-get install libpcap0.8)";

    private static PcapLibrary library;

    private Libpcap() {
    }

    /**
     * Compiles {@code expression} with the optimizer on, as {@code tcpdump -d} would.
     *
     * @return the program as raw {@code struct bpf_insn} bytes
     * @throws PcapCompileException with libpcap's message when the expression is rejected
     * @throws IllegalStateException when libpcap cannot be loaded
     */
    public static synchronized byte[] compile(int linkType, String expression) {
        PcapLibrary pcap = library();
        Pointer handle = pcap.pcap_open_dead(linkType, SNAPLEN);
        if (handle == null) {
            throw new IllegalStateException("pcap_open_dead(" + linkType + ") failed");
        }
        try {
            // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }: the pointer is aligned to its size.
            Memory program = new Memory(2L * Native.POINTER_SIZE);
            program.clear();
            if (pcap.pcap_compile(handle, program, expression, 1, NETMASK_UNKNOWN) != 0) {
                throw new PcapCompileException(pcap.pcap_geterr(handle));
            }
            try {
                int count = program.getInt(0);
                Pointer insns = program.getPointer(Native.POINTER_SIZE);
                return insns.getByteArray(0, count * INSN_SIZE);
            } finally {
                pcap.pcap_freecode(program);
            }
        } finally {
            pcap.pcap_close(handle);
        }
    }

    /**
     * Runs libpcap's cBPF interpreter ({@code bpf_filter}) over the first {@code bufLen} bytes of
     * {@code packet}; loads at or past {@code bufLen} make it return 0.
     *
     * @return the program's return value as an unsigned int (non-zero means match)
     */
    public static synchronized int filter(byte[] program, byte[] packet, int wireLen, int bufLen) {
        if (program.length == 0 || program.length % INSN_SIZE != 0) {
            throw new IllegalArgumentException("program must be a non-empty array of struct bpf_insn");
        }
        if (bufLen < 0 || bufLen > packet.length) {
            throw new IllegalArgumentException("bufLen " + bufLen + " outside the packet of " + packet.length);
        }
        Memory insns = new Memory(program.length);
        insns.write(0, program, 0, program.length);
        Memory bytes = new Memory(Math.max(1, bufLen));
        bytes.write(0, packet, 0, bufLen);
        return library().bpf_filter(insns, bytes, wireLen, bufLen);
    }

    /** libpcap's rendering of one instruction at index {@code index}, exactly as {@code tcpdump -d} prints it. */
    public static synchronized String image(byte[] instruction, int index) {
        if (instruction.length != INSN_SIZE) {
            throw new IllegalArgumentException("one struct bpf_insn is " + INSN_SIZE + " bytes");
        }
        Memory insn = new Memory(INSN_SIZE);
        insn.write(0, instruction, 0, INSN_SIZE);
        return library().bpf_image(insn, index);
    }

    private static PcapLibrary library() {
        if (library == null) {
            library = load("pcap", "libpcap.so.0.8");
        }
        return library;
    }

    /**
     * Loads the first library that can be found. The versioned name covers runtime-only installs, which have
     * no unversioned libpcap.so symlink.
     */
    static PcapLibrary load(String... names) {
        IllegalStateException missing = new IllegalStateException(MISSING);
        for (String name : names) {
            try {
                return Native.load(name, PcapLibrary.class);
            } catch (UnsatisfiedLinkError e) {
                missing.addSuppressed(e);
            }
        }
        throw missing;
    }
}
