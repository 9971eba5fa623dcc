package io.skbtrail.protocol;

/** Calendar arithmetic for the fast parsers of wire timestamps, without allocating {@code java.time} objects. */
public final class CalendarDays {

    private CalendarDays() {}

    /** Days in a month (1..12) of a proleptic Gregorian year. */
    public static int monthLength(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days from 1970-01-01 to a valid proleptic Gregorian date, as {@code LocalDate.toEpochDay} counts them. */
    public static long epochDay(int year, int month, int day) {
        // The year shifted to start in March, so that the leap day is the last day of the year.
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
