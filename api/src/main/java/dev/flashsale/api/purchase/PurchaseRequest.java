package dev.flashsale.api.purchase;

/** The body of a purchase: {@code {"quantity": n}}. */
public record PurchaseRequest(Integer quantity) {
}
