/**
 * tcpdump/pcap-filter expressions compiled to eBPF for tracing programs: libpcap produces classic BPF, which
 * is translated here into a subprogram that reads packet bytes from kernel memory. Start at
 * {@link io.skbtrail.filter.PcapFilterCompiler}.
 */
package io.skbtrail.filter;
