package dev.flashsale.sale;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.AbstractMap.SimpleEntry;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.RestoreOrders;
import dev.flashsale.purchase.ShopperKey;

/** The catalog's steps on the grid, as pure functions of an entry. */
class CatalogStepsTest {

    private static final Sale SALE = new Sale("sale-1", "Sneakers", BigDecimal.TEN, 10, 0, 3_600_000, 1, 60_000,
            new int[] {0}, 1_000, false, 2, 0);

    @Test
    void onlyANewerRowRevisesTheSaleAndKeepsItsBucketsAndPlan() {
        Map.Entry<String, Sale> entry = new SimpleEntry<>("sale-1", SALE);

        new ReviseSale(row(2, 50), 5_000).process(entry);
        assertThat(entry.getValue()).as("the same version changes nothing").isSameAs(SALE);

        Sale revised = new ReviseSale(row(3, 50), 5_000).process(entry);
        assertThat(revised.stock()).isEqualTo(50);
        assertThat(revised.paused()).isTrue();
        assertThat(revised.bucketSalts()).containsExactly(0);
        assertThat(new ReviseSale(row(2, 10), 6_000).process(entry).stock()).as("an older row is ignored").isEqualTo(50);
    }

    @Test
    void aStockPlanIsNumberedOnlyForTheSaleVersionAndPlanItWasWorkedOutFrom() {
        Map.Entry<String, Sale> entry = new SimpleEntry<>("sale-1", SALE);

        assertThat(new NextStockPlan(1, 0).process(entry)).as("worked out from an older version").isEqualTo(-1);
        assertThat(new NextStockPlan(2, 0).process(entry)).isEqualTo(1);
        assertThat(new NextStockPlan(2, 0).process(entry)).as("another planner got there first").isEqualTo(-1);
        assertThat(entry.getValue().stockPlan()).isEqualTo(1);
    }

    @Test
    void aMirroredRowIsReplacedOnlyByANewerVersion() {
        Map.Entry<String, CatalogRow> entry = new SimpleEntry<>("sale-1", null);

        assertThat(new KeepNewerRow(row(3, 10)).process(entry)).isTrue();
        assertThat(new KeepNewerRow(row(2, 99)).process(entry)).isFalse();
        assertThat(new KeepNewerRow(row(3, 99)).process(entry)).isFalse();
        assertThat(entry.getValue().stock()).isEqualTo(10);
    }

    @Test
    void restoredOrdersNeverReplaceAShoppersEntryTheGridStillHas() {
        Map.Entry<ShopperKey, Purchases> entry = new SimpleEntry<>(new ShopperKey("sale-1", "alice"), Purchases.NONE);

        assertThat(new RestoreOrders(Purchases.rebuilt(new Purchase[0])).process(entry)).isFalse();
        assertThat(entry.getValue()).isSameAs(Purchases.NONE);
    }

    private static CatalogRow row(long version, int stock) {
        return new CatalogRow("sale-1", "Sneakers", BigDecimal.TEN, stock, 0, 3_600_000, 1, 60, 1, true, version);
    }
}
