package dev.flashsale.api.auth;

/** Who a verified token says is calling. The id of a shopper comes from here and nowhere else. */
public record Caller(String id, Role role) {
}
