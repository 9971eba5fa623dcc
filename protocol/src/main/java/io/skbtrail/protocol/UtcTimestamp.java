package io.skbtrail.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The wire form of a time: RFC 3339 in UTC with exactly nine fraction digits,
 * {@code 2026-11-24T21:27:03.000000123Z}. Formatting keeps the text up to the seconds for the last
 * second seen, so consecutive events cost only the nine fraction digits. An instance is not thread-safe.
 */
final class UtcTimestamp {

    /** Length of {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    static final int LENGTH = 30;

    private static final long MIN_SECOND = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long MAX_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    private final char[] text = new char[LENGTH];
    private long cachedSecond = Long.MIN_VALUE;

    /**
     * Appends the time (without quotes).
     *
     * @throws IllegalArgumentException when the year is outside 0000..9999
     */
    void append(StringBuilder sb, Instant time) {
        long second = time.getEpochSecond();
        if (second != cachedSecond) {
            formatSecond(second);
        }
        int nano = time.getNano();
        for (int i = 28; i >= 20; i--) {
            text[i] = (char) ('0' + nano % 10);
            nano /= 10;
        }
        sb.append(text, 0, LENGTH);
    }

    private void formatSecond(long second) {
        if (second < MIN_SECOND || second > MAX_SECOND) {
            throw new IllegalArgumentException("time outside the RFC 3339 years 0000..9999: " + second + " s");
        }
        long day = Math.floorDiv(second, 86_400L);
        int secondOfDay = (int) Math.floorMod(second, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        digits(date.getYear(), 0, 4);
        text[4] = '-';
        digits(date.getMonthValue(), 5, 2);
        text[7] = '-';
        digits(date.getDayOfMonth(), 8, 2);
        text[10] = 'T';
        digits(secondOfDay / 3600, 11, 2);
        text[13] = ':';
        digits(secondOfDay / 60 % 60, 14, 2);
        text[16] = ':';
        digits(secondOfDay % 60, 17, 2);
        text[19] = '.';
        text[29] = 'Z';
        cachedSecond = second;
    }

    /** The wire text of one time (allocates a formatter: for control frames, not per event). */
    static String format(Instant time) {
        StringBuilder sb = new StringBuilder(LENGTH);
        new UtcTimestamp().append(sb, time);
        return sb.toString();
    }

    private void digits(int value, int at, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Parses exactly the form {@link #append} writes.
     *
     * @throws IllegalArgumentException for any other text, or an impossible date
     */
    static Instant parse(String s) {
        if (s.length() != LENGTH
                || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(29) != 'Z') {
            throw new IllegalArgumentException("expected RFC 3339 UTC time like 2026-11-24T21:27:03.000000123Z");
        }
        try {
            LocalDateTime local = LocalDateTime.of(
                    number(s, 0, 4), number(s, 5, 2), number(s, 8, 2),
                    number(s, 11, 2), number(s, 14, 2), number(s, 17, 2), number(s, 20, 9));
            return local.toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("impossible date or time: " + e.getMessage());
        }
    }

    private static int number(String s, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("expected RFC 3339 UTC time like 2026-11-24T21:27:03.000000123Z");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
