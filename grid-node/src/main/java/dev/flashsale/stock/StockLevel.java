package dev.flashsale.stock;

import java.util.Collection;

/** Units put on sale and units still available, of one bucket or summed over a sale. */
public record StockLevel(int stock, int available) {

    public static final StockLevel NONE = new StockLevel(0, 0);

    public int taken() {
        return stock - available;
    }

    public static StockLevel sum(Collection<StockLevel> levels) {
        int stock = 0;
        int available = 0;
        for (StockLevel level : levels) {
            stock += level.stock();
            available += level.available();
        }
        return new StockLevel(stock, available);
    }
}
