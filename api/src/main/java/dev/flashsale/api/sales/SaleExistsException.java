package dev.flashsale.api.sales;

public final class SaleExistsException extends RuntimeException {

    public SaleExistsException(String saleId) {
        super("a sale with id '" + saleId + "' exists already", null, false, false);
    }
}
