package dev.flashsale.sale;

public enum SaleStatus {
    UPCOMING,
    OPEN,
    SOLD_OUT,
    ENDED
}
