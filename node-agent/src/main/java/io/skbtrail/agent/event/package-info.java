/**
 * From raw ring-buffer records to contract v1 {@link io.skbtrail.protocol.Event}s: the record layout,
 * packet header parsing, kernel-to-wall-clock time, and the host facts every event carries.
 */
package io.skbtrail.agent.event;
