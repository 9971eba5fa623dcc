package io.skbtrail.agent.output;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * ABSOLUTE times: {@code 2026-11-24T22:27:03.000000123+01:00}, the event's time in a zone with nine
 * fraction digits and the offset. The text up to the seconds and the offset are kept for the last second
 * seen. Not thread-safe.
 */
final class LocalTimestamp {

    /** Width of the text with an hour-and-minute offset. */
    static final int WIDTH = 35;

    private final ZoneRules rules;
    private final StringBuilder secondText = new StringBuilder(20);
    private final char[] fraction = new char[9];
    private String offsetText = "";
    private long cachedSecond = Long.MIN_VALUE;

    LocalTimestamp(ZoneId zone) {
        this.rules = zone.getRules();
    }

    void append(StringBuilder sb, Instant time) {
        long second = time.getEpochSecond();
        if (second != cachedSecond) {
            cache(time);
        }
        sb.append(secondText);
        int nano = time.getNano();
        for (int i = 8; i >= 0; i--) {
            fraction[i] = (char) ('0' + nano % 10);
            nano /= 10;
        }
        sb.append(fraction).append(offsetText);
    }

    private void cache(Instant time) {
        ZoneOffset offset = rules.getOffset(time);
        LocalDateTime local = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, offset);
        secondText.setLength(0);
        two(four(secondText, local.getYear()).append('-'), local.getMonthValue()).append('-');
        two(secondText, local.getDayOfMonth()).append('T');
        two(secondText, local.getHour()).append(':');
        two(secondText, local.getMinute()).append(':');
        two(secondText, local.getSecond()).append('.');
        offsetText = offsetText(offset.getTotalSeconds());
        cachedSecond = time.getEpochSecond();
    }

    /** {@code +01:00} style, also for UTC (fixed width), with {@code :ss} only when the offset has seconds. */
    private static String offsetText(int totalSeconds) {
        StringBuilder sb = new StringBuilder(9).append(totalSeconds < 0 ? '-' : '+');
        int abs = Math.abs(totalSeconds);
        two(sb, abs / 3600).append(':');
        two(sb, abs / 60 % 60);
        if (abs % 60 != 0) {
            two(sb.append(':'), abs % 60);
        }
        return sb.toString();
    }

    private static StringBuilder four(StringBuilder sb, int year) {
        if (year >= 0 && year < 1000) {
            TableText.appendZeros(sb, year < 10 ? 3 : year < 100 ? 2 : 1);
        }
        return sb.append(year);
    }

    private static StringBuilder two(StringBuilder sb, int value) {
        return sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
