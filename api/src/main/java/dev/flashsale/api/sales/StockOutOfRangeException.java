package dev.flashsale.api.sales;

import dev.flashsale.sale.Limits;

/** A top-up or withdrawal that would take the stock ops want outside 0 to {@link Limits#MAX_STOCK}. */
public final class StockOutOfRangeException extends RuntimeException {

    public StockOutOfRangeException(int stock) {
        super("the stock ops want must stay 0 to " + Limits.MAX_STOCK + "; it is " + stock, null, false, false);
    }
}
