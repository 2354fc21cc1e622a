package dev.flashsale.sale;

public enum SaleStatus {
    UPCOMING,
    OPEN,
    /** Within its window, but ops hold it: purchases are refused until they resume it. */
    PAUSED,
    SOLD_OUT,
    ENDED
}
