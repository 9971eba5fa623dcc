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
              connect --server URL [flags]  join a skbtrail server: trace the sessions it asks for and
                                            stream their events to it
              replay FILE --server URL [flags]  like connect, but each session gets the events of a
                                            recording (trace --output-json); for load tests of a server
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

    static final String CONNECT = """
            Usage: skbtrail-agent connect --server URL --token-file FILE [flags]

            Connects this host to a skbtrail server and runs until SIGINT/SIGTERM. The server arms, starts,
            updates and stops tracing sessions (a pcap filter and trace options each); the agent streams
            their events, loss records and summaries back. Sessions keep tracing while the server is away:
            their events wait in memory (--buffer-events) and go out when the link is back. Needs root.

            Server:
              --server URL                  http(s)://host[:port][/prefix] (or ws://, wss://); the agent
                                            dials URL/api/agent/link
              --token-file FILE             the agent token (Authorization: Bearer); or $SKBTRAIL_AGENT_TOKEN,
              --token TOKEN                 or --token (visible in ps)
              --name NAME                   this host's name at the server (default: the host name)
              --label KEY=VALUE             a label the server selects hosts by; repeatable
            Tracing:
              --backend auto|kprobe-multi|kprobe|tracepoint   (default auto; kprobe: one session at a time)
              --filter-netns PATH|inode:N   every session sees only this network namespace
              --filter-ifname NAME          every session sees only this interface (looked up in the netns)
              --kernel-btf FILE             BTF of this kernel when /sys/kernel/btf/vmlinux is missing
              --debug                       libbpf's and the verifier's messages
            Streaming:
              --batch-millis MS             send a batch at most this long after its first event (default 100)
              --batch-events N              at most N records per batch (default 4096, at most 65536)
              --buffer-events N             records kept for the server until it acknowledges them
                                            (default 1000000); beyond, events are counted as lost at
                                            hop agent_buffer

            Exit codes: 0 stopped by a signal, 1 the server rejected the agent or refused its token (or a
            runtime failure), 2 usage error.
            """;
}
