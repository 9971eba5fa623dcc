package io.skbtrail.filter;

/**
 * An expression compiled for both ways a tracing program can see a packet.
 *
 * @param expression the expression as given
 * @param l2 for packets starting at the Ethernet header (libpcap link type EN10MB)
 * @param l3 for packets starting at the IPv4/IPv6 header (link type RAW); rejects all when the expression
 *     needs link-layer fields ({@code arp}, {@code ether host}, {@code vlan} ...)
 */
public record CompiledFilter(String expression, FilterProgram l2, FilterProgram l3) {

    /** True when no filtering is needed: both variants accept every packet (e.g. a blank expression). */
    public boolean matchesAll() {
        return l2.matchesAll() && l3.matchesAll();
    }
}
