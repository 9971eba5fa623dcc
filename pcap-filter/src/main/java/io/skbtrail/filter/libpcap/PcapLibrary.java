package io.skbtrail.filter.libpcap;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The libpcap functions used, as JNA maps them. {@code u_int} arguments and results are Java ints. */
interface PcapLibrary extends Library {

    Pointer pcap_open_dead(int linkType, int snapLen);

    /** {@code program} points to a {@code struct bpf_program} that libpcap fills in. */
    int pcap_compile(Pointer pcap, Pointer program, String expression, int optimize, int netmask);

    String pcap_geterr(Pointer pcap);

    void pcap_freecode(Pointer program);

    void pcap_close(Pointer pcap);

    int bpf_filter(Pointer instructions, Pointer packet, int wireLen, int bufLen);

    String bpf_image(Pointer instruction, int index);
}
