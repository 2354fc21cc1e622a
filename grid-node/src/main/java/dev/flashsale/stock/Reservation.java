package dev.flashsale.stock;

/**
 * What one bucket answered to a {@link ReserveStock}. {@code available} is what the bucket
 * holds after the call.
 */
public record Reservation(Outcome outcome, int available) {

    public enum Outcome {
        /** The units are taken for the order (now, or by an earlier run of the same order). */
        WON,
        /** The bucket holds fewer units than were asked for; nothing changed. */
        INSUFFICIENT,
        /** A retry of an order the bucket no longer remembers: it may or may not hold its units. */
        UNKNOWN
    }

    public static Reservation won(int available) {
        return new Reservation(Outcome.WON, available);
    }

    public static Reservation insufficient(int available) {
        return new Reservation(Outcome.INSUFFICIENT, available);
    }

    public static Reservation unknown(int available) {
        return new Reservation(Outcome.UNKNOWN, available);
    }

    public boolean won() {
        return outcome == Outcome.WON;
    }
}
