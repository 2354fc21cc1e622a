package dev.flashsale.api.auth;

public enum Role {
    SHOPPER,
    ADMIN
}
