/**
 * The agent's benchmark ({@code scripts/bench-agent}): kernel time per probe hit against bpftrace, agent
 * CPU per event, and the highest event rate delivered without loss. Not run as tests.
 */
package io.skbtrail.agent.bench;
