package dev.flashsale.api.sales;

import java.util.ArrayList;
import java.util.List;

import dev.flashsale.sale.CatalogRow;
import dev.flashsale.sale.Limits;

/**
 * What makes a MySQL {@code sales} row a sale the grid can run: the same bounds the admin API
 * checks, applied to rows ops wrote by hand too, since MySQL's columns alone do not hold them.
 */
final class SaleRules {

    private SaleRules() {
    }

    /** The problems of the row; none if the grid may apply it. {@code creating}: the sale is new, so its buckets must fit its stock. */
    static List<String> problemsOf(CatalogRow row, boolean creating) {
        List<String> problems = new ArrayList<>();
        if (row.saleId() == null || !SaleAdminController.SALE_ID.matcher(row.saleId()).matches()) {
            problems.add("sale_id must be 1-64 lower-case letters, digits or '-', starting with a letter or digit");
        }
        if (!Limits.isPrintableText(row.name(), Limits.SALE_NAME_LENGTH)) {
            problems.add("name must be 1-" + Limits.SALE_NAME_LENGTH + " characters, not blank, no control characters");
        }
        if (!Limits.isPrice(row.price())) {
            problems.add("price must be " + Limits.PRICE_RULE);
        }
        if (row.stock() < 0 || row.stock() > Limits.MAX_STOCK) {
            problems.add("stock must be 0 to " + Limits.MAX_STOCK);
        }
        if (row.startsAtMillis() >= row.endsAtMillis()) {
            problems.add("starts_at must be before ends_at");
        }
        if (row.perShopperLimit() < 1 || row.perShopperLimit() > Limits.MAX_PER_SHOPPER_LIMIT) {
            problems.add("per_shopper_limit must be 1 to " + Limits.MAX_PER_SHOPPER_LIMIT);
        }
        if (row.paymentWindowSeconds() < SaleAdminController.MIN_PAYMENT_WINDOW.toSeconds()
                || row.paymentWindowSeconds() > SaleAdminController.MAX_PAYMENT_WINDOW.toSeconds()) {
            problems.add("payment_window_seconds must be " + SaleAdminController.MIN_PAYMENT_WINDOW.toSeconds() + " to "
                    + SaleAdminController.MAX_PAYMENT_WINDOW.toSeconds());
        }
        if (creating && (row.buckets() < 1 || row.buckets() > Limits.MAX_BUCKETS || row.buckets() > Math.max(1, row.stock()))) {
            problems.add("buckets must be 1 to " + Limits.MAX_BUCKETS + " and not more than stock");
        }
        return problems;
    }
}
