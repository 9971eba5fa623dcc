package io.skbtrail.filter.libpcap;

/** libpcap refused an expression; the message is libpcap's own ({@code pcap_geterr}). */
public final class PcapCompileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PcapCompileException(String libpcapMessage) {
        super(libpcapMessage);
    }
}
