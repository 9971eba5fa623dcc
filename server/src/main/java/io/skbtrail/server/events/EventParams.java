package io.skbtrail.server.events;

/**
 * The query parameters of an event page ({@code ?host=&func=&dropReason=&saddr=&daddr=&sport=&dport=&packet=
 * &from=&to=&after=&limit=}), bound by Spring MVC; absent ones are null.
 */
public record EventParams(String host, String func, String dropReason, String saddr, String daddr, Integer sport,
        Integer dport, Long packet, String from, String to, String after, Integer limit) {}
