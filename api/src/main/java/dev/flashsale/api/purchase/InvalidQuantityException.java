package dev.flashsale.api.purchase;

public final class InvalidQuantityException extends RuntimeException {

    public InvalidQuantityException(String message) {
        super(message, null, false, false);
    }
}
