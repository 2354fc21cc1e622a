package dev.flashsale.purchase;

/** One shopper in one sale: the key of the entry that holds the shopper's purchases there. */
public record ShopperKey(String saleId, String shopperId) {
}
