package dev.flashsale.api.sales;

public final class UnknownSaleException extends RuntimeException {

    public UnknownSaleException(String saleId) {
        super("no sale with id '" + saleId + "'", null, false, false);
    }
}
