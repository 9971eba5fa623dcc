package io.skbtrail.server.journeys;

/**
 * A journey's flow: the tuple of the first lane that had one, as its host saw it (the inner packet's for VXLAN),
 * read from the events when first needed.
 *
 * @param vni the VXLAN network the packet was seen encapsulated in, or null
 */
record Flow(String proto, String saddr, String daddr, int sport, int dport, Long vni) {
    static final Flow NONE = new Flow(null, null, null, 0, 0, null);
}
