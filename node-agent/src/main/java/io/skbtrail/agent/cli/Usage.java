package io.skbtrail.agent.cli;

/** Help texts. */
final class Usage {
    private Usage() {}

    static final String MAIN = """
            Usage: skbtrail-agent COMMAND [flags]

            Commands:
              trace [pcap-filter] [flags]   print where matching packets go in this host's kernel, and
                                            where and why they are dropped
              probe [--json]                what this kernel supports: backends, BTF, libbpf, drop reasons
              --help                        this text; COMMAND --help for the command's flags

            Exit codes: 0 done, 2 usage or filter error, 1 runtime failure.
            """;

    static final String TRACE = """
            Usage: skbtrail-agent trace [pcap-filter] [flags]

            Prints every probe point matching packets pass in the kernel, like pwru. The pcap-filter is a
            tcpdump expression ('tcp and dst port 8080', 'arp', 'ip6 and host fd00::2'); it runs in the
            kernel. Needs root.

            Filters:
              --filter-netns PATH|inode:N   only this network namespace (/proc/PID/ns/net, /run/netns/NAME)
              --filter-mark MARK[/MASK]     only skbs with (mark & MASK) == (MARK & MASK); 0x-hex or decimal
              --filter-ifname NAME          only this interface (looked up in --filter-netns, else here)
              --filter-track-skb            keep following a matched skb after NAT or decapsulation
              --filter-track-max-age MS     forget a tracked skb not seen for this long (default 10000)
              --filter-func REGEX           only probe points whose name matches the whole REGEX
              --kmods MOD[,MOD]             also probe functions of these kernel modules (kprobe backends)
              --all-kmods                   also probe functions of every module with BTF
              --filter-trace-tc             also trace the tc BPF programs loaded now (fentry)
              --filter-trace-xdp            also trace the XDP programs loaded now (fentry)
            Output:
              --output-meta[=false]         NETNS MARK IFACE PROTO MTU LEN columns (default on)
              --output-tuple[=false]        TUPLE column (default on)
              --output-tcp-flags            TCP flags in the tuple
              --output-stack                kernel stack of each event
              --output-caller               calling function (kprobe backends)
              --output-skb                  BTF dump of the skb
              --output-packet-bytes N       hex of the first N packet bytes (at most 256)
              --output-json                 NDJSON, one event per line (the event contract v1)
              --output-file PATH            write to PATH instead of stdout, rotating by size
              --output-file-max-size MB     rotate at this size (default 100)
              --output-file-max-backups N   keep N rotated files (default 0: all)
              --output-limit-lines N        stop after N events
              --timestamp none|current|relative|absolute
            Kernel:
              --backend auto|kprobe-multi|kprobe|tracepoint   (default auto)
              --kernel-btf FILE             BTF of this kernel when /sys/kernel/btf/vmlinux is missing
              --rate-limit N                at most N events/s from the kernel; the excess is counted
                                            (default 200000, 0 = no cap)
              --ringbuf-size MB             kernel-to-agent ring buffer, a power of two (default 16)
              --tracked-skbs N              size of the skb table for packet ids and tracking (default 65536)
              --ready-file PATH             create PATH once the probes are attached
              --debug                       libbpf's and the verifier's messages
              --idle                        attach the probes but leave tracing off (measures the cost
                                            of an attached, idle probe)
            """;
}
