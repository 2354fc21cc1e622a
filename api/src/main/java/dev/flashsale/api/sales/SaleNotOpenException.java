package dev.flashsale.api.sales;

import dev.flashsale.sale.Sale;

/** A purchase outside the sale's window: before it starts or after it ends. */
public final class SaleNotOpenException extends RuntimeException {

    public SaleNotOpenException(Sale sale, boolean upcoming) {
        super(upcoming
                ? "sale '" + sale.id() + "' opens at " + sale.startsAt()
                : "sale '" + sale.id() + "' ended at " + sale.endsAt(), null, false, false);
    }
}
