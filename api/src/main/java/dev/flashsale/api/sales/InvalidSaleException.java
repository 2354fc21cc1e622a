package dev.flashsale.api.sales;

import java.util.List;

/** A sale, or a change of one, that breaks the rules of a sale ({@link SaleRules}); nothing was changed. */
public final class InvalidSaleException extends RuntimeException {

    private final List<String> problems;

    public InvalidSaleException(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
