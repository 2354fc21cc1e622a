package dev.flashsale.api.orders;

import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.ShopperKey;

/** An order with whose it is: the shopper and the sale, which together key its entry. */
public record ShopperOrder(ShopperKey shopper, Purchase order) {

    public String saleId() {
        return shopper.saleId();
    }
}
