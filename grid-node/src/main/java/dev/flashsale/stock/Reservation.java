package dev.flashsale.stock;

/**
 * What one bucket answered to a {@link ReserveStock}. {@code available} is what the bucket
 * holds after the call.
 */
public record Reservation(Outcome outcome, int available) {

    public enum Outcome {
        /** The units are taken for the order. */
        WON,
        /** The bucket holds fewer units than were asked for; nothing changed. */
        INSUFFICIENT,
        /** The attempt's lease ended and settlement fenced it off: nothing changed, settlement decides the order. */
        FENCED,
        /** The bucket's share of the event journal is full of events MySQL has not seen: nothing changed, try again shortly. */
        BACKLOG
    }

    public static Reservation won(int available) {
        return new Reservation(Outcome.WON, available);
    }

    public static Reservation insufficient(int available) {
        return new Reservation(Outcome.INSUFFICIENT, available);
    }

    public boolean won() {
        return outcome == Outcome.WON;
    }
}
