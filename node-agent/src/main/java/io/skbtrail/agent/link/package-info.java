/**
 * The agent side of the agent link ({@code skbtrail-agent connect}): one WebSocket to the server, dialled
 * out by the agent, over which the server arms, starts, updates and stops tracing sessions and the agent
 * streams their events.
 *
 * <ul>
 *   <li>{@link io.skbtrail.agent.link.AgentLink}: connects, reconnects with backoff, shuts down;</li>
 *   <li>{@link io.skbtrail.agent.link.Connection}: one WebSocket, its receive side and its single sender;</li>
 *   <li>{@link io.skbtrail.agent.link.FrameDispatcher}: what each server frame does;</li>
 *   <li>{@link io.skbtrail.agent.link.Outbox}: sealed event batches, numbered, kept until acknowledged;</li>
 *   <li>{@link io.skbtrail.agent.link.Session} and {@link io.skbtrail.agent.link.Sessions}: one tracing
 *       session's life on its own thread, and the agent's sessions;</li>
 *   <li>{@link io.skbtrail.agent.link.SessionArgs} and {@link io.skbtrail.agent.link.FilterScope}: a
 *       session's options as {@code trace} flags.</li>
 * </ul>
 *
 * <p>The probes themselves are armed and drained by the {@code trace} machinery behind
 * {@link io.skbtrail.agent.link.SessionArmer} (implemented in the cli package), so a session refuses and
 * reports exactly what {@code trace} would.
 */
package io.skbtrail.agent.link;
