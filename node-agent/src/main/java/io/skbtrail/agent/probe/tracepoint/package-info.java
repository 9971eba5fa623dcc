/**
 * The tracepoint backend: tp_btf programs on the net, skb, tcp, qdisc, udp and sock tracepoints that
 * carry an skb. Needs only kernel BTF (5.5+), so it works where kprobes are disabled.
 */
package io.skbtrail.agent.probe.tracepoint;
