package dev.flashsale.api.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class SoldOutSalesTest {

    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void aShopperWithoutAClaimIsAnsweredFromMemoryAndAClaimantIsNot() {
        // given the node saw the sale sold out while alice held a claim
        SoldOutSales sales = new SoldOutSales(Duration.ofMinutes(1), claimants("alice"), Runnable::run);

        sales.saw("sale-1");

        // then bob needs no grid call, alice (a winner retrying, say) does, and other sales are unknown
        assertThat(sales.isSoldOutFor("sale-1", "bob")).isTrue();
        assertThat(sales.isSoldOutFor("sale-1", "alice")).isFalse();
        assertThat(sales.isSoldOut("sale-1")).isTrue();
        assertThat(sales.isSoldOutFor("sale-2", "bob")).isFalse();
    }

    @Test
    void nobodyIsAnsweredFromMemoryUntilTheClaimantsAreKnown() {
        List<Runnable> pending = new ArrayList<>();
        SoldOutSales sales = new SoldOutSales(Duration.ofMinutes(1), claimants("alice"), pending::add);

        sales.saw("sale-1");

        assertThat(sales.isSoldOut("sale-1")).isTrue();
        assertThat(sales.isSoldOutFor("sale-1", "bob")).isFalse();
        pending.forEach(Runnable::run);
        assertThat(sales.isSoldOutFor("sale-1", "bob")).isTrue();
    }

    @Test
    void nobodyIsAnsweredFromMemoryWhenTheClaimantsCannotBeRead() {
        SoldOutSales sales = new SoldOutSales(Duration.ofMinutes(1), saleId -> {
            throw new IllegalStateException("grid unreachable");
        }, Runnable::run);

        sales.saw("sale-1");

        assertThat(sales.isSoldOutFor("sale-1", "bob")).isFalse();
    }

    @Test
    void seeingItSoldOutAgainKeepsTheClaimantsUntilTheMemoryLapses() {
        SoldOutSales remembering = new SoldOutSales(Duration.ofMinutes(1), claimants("alice"), Runnable::run);
        remembering.saw("sale-1");
        remembering.saw("sale-1");
        assertThat(loads).hasValue(1);

        SoldOutSales forgetting = new SoldOutSales(Duration.ZERO, claimants("alice"), Runnable::run);
        forgetting.saw("sale-1");
        assertThat(forgetting.isSoldOut("sale-1")).isFalse();
        assertThat(forgetting.isSoldOutFor("sale-1", "bob")).isFalse();
        forgetting.saw("sale-1");
        assertThat(loads).hasValue(3);
    }

    private Function<String, Set<String>> claimants(String... shopperIds) {
        return saleId -> {
            loads.incrementAndGet();
            return Set.of(shopperIds);
        };
    }
}
