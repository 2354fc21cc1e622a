package dev.flashsale.api.sales;

public final class SaleExistsException extends RuntimeException {

    private SaleExistsException(String message) {
        super(message, null, false, false);
    }

    /** The id names a sale already (on the grid, or in MySQL). */
    public static SaleExistsException of(String saleId) {
        return new SaleExistsException("a sale with id '" + saleId + "' exists already");
    }

    /** Another creation of the id wrote a bucket this one placed, after this one placed it. */
    static SaleExistsException underWay(String saleId) {
        return new SaleExistsException("another creation of sale '" + saleId + "' is under way; look the sale up, or retry");
    }
}
