package io.skbtrail.server.events;

/**
 * The query parameters of an event page ({@code ?host=&func=&dropReason=&saddr=&daddr=&sport=&dport=&packet=
 * &from=&to=&after=&limit=}), bound by Spring MVC; absent ones are null. The filter values stay text here and
 * are checked by {@link EventCriteria}, the same checks and messages the live stream's filter gets.
 */
public record EventParams(String host, String func, String dropReason, String saddr, String daddr, String sport,
        String dport, String packet, String from, String to, String after, Integer limit) {

    /** The raw filter values, keyed as {@link EventCriteria#KEYS}. */
    public java.util.Map<String, String> filterValues() {
        return EventCriteria.raw(host, func, dropReason, saddr, daddr, sport, dport, packet);
    }
}
