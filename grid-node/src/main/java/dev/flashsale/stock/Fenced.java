package dev.flashsale.stock;

/** What a {@link FenceBucket} answered: whether the fence holds, and the reservations the bucket had made when it was set. */
public record Fenced(boolean fenced, long reservations) {
}
