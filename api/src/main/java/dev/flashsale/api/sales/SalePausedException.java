package dev.flashsale.api.sales;

/** Ops hold the sale: no purchase until they resume it. */
public final class SalePausedException extends RuntimeException {

    public SalePausedException(String saleId) {
        super("sale '" + saleId + "' is paused; purchases resume when ops resume it", null, false, false);
    }
}
