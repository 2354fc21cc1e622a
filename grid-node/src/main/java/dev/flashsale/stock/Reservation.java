package dev.flashsale.stock;

/**
 * What one bucket answered to a {@link ReserveStock}: the units were taken for the order
 * ({@code won}), or the bucket holds fewer than were asked for. {@code available} is
 * what the bucket holds after the call.
 */
public record Reservation(boolean won, int available) {

    public static Reservation won(int available) {
        return new Reservation(true, available);
    }

    public static Reservation insufficient(int available) {
        return new Reservation(false, available);
    }
}
