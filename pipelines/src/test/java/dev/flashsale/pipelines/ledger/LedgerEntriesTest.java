package dev.flashsale.pipelines.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.flashsale.pipelines.events.OrderReserved;
import dev.flashsale.pipelines.events.SaleEventJson;
import dev.flashsale.pipelines.events.SaleScheduled;

/** Every record of the topic becomes a row or a dead letter that says why; nothing throws. */
class LedgerEntriesTest {

    private static final String ORDER_ID = "e2d221f8-1721-3de8-8714-53a6edda96c2";
    private static final String SLOT = "00000000-0000-0000-0000-00000000000a";
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aValidOrderBecomesItsRow() {
        LedgerEntry entry = LedgerEntries.of(record(order("alice", BigDecimal.TEN, 1, AT.plusSeconds(900))));

        assertThat(entry).isInstanceOf(OrderRow.class);
        assertThat(((OrderRow) entry).shopperId()).isEqualTo("alice");
    }

    @Test
    void aTombstoneIsADeadLetter() {
        assertDeadLetter(new SourceRecord("sale-events", 1, 9, ORDER_ID, null), "tombstone");
    }

    @Test
    void recordsThatAreNoSaleEventAreDeadLetters() {
        assertDeadLetter(record("not json at all"), "not a sale event");
        assertDeadLetter(record("null"), "not a sale event");
        assertDeadLetter(record("[1,2]"), "not a sale event");
        assertDeadLetter(record("{\"type\":\"order.refunded\",\"eventId\":\"x\"}"), "not a sale event");
        assertDeadLetter(record("{\"eventId\":\"x\"}"), "not a sale event");
        assertDeadLetter(record(SaleEventJson.write(order("alice", BigDecimal.TEN, 1, AT)).replace("\"quantity\":1", "\"quantity\":1e10")),
                "not a sale event");
    }

    @Test
    void timesAreIsoStringsOnlyNotNumbers() {
        String iso = SaleEventJson.write(order("alice", BigDecimal.TEN, 1, AT));

        assertDeadLetter(record(iso.replace("\"occurredAt\":\"" + AT + "\"", "\"occurredAt\":1e9")), "not a sale event");
        assertDeadLetter(record(iso.replace("\"occurredAt\":\"" + AT + "\"", "\"occurredAt\":1764669600")), "not a sale event");
    }

    @Test
    void aDeadLetterOfAnOrderThatDoesNotParseStillNamesItsSaleAndOrder() {
        String broken = SaleEventJson.write(order("alice", BigDecimal.TEN, 1, AT)).replace("\"unitPrice\":\"10\"", "\"unitPrice\":\"abc\"");

        DeadLetter letter = assertDeadLetter(record(broken), "not a sale event");

        assertThat(letter.saleId()).isEqualTo("sale-1");
        assertThat(letter.orderId()).isEqualTo(ORDER_ID);
    }

    @Test
    void aRowKeepsAtMostWhatADeadLetterWouldHoldOfItsRecord() {
        String padded = SaleEventJson.write(order("alice", BigDecimal.TEN, 1, AT)).replace("{", "{\"padding\":\"" + "x".repeat(100_000) + "\",");

        LedgerEntry entry = LedgerEntries.of(record(padded));

        assertThat(entry).isInstanceOf(OrderRow.class);
        assertThat(entry.source().value()).hasSize(SourceRecord.VALUE_LENGTH);
    }

    @Test
    void anOrderWithAValueItsColumnCannotHoldIsADeadLetterThatNamesTheField() {
        DeadLetter longShopper = assertDeadLetter(record(order("s".repeat(200), BigDecimal.TEN, 1, AT)), "shopperId");
        assertThat(longShopper.saleId()).isEqualTo("sale-1");
        assertThat(longShopper.orderId()).isEqualTo(ORDER_ID);
        assertDeadLetter(record(order("alice", new BigDecimal("10000000000.00"), 1, AT)), "unitPrice");
        assertDeadLetter(record(order("alice", new BigDecimal("0.001"), 1, AT)), "unitPrice");
        assertDeadLetter(record(order("alice", BigDecimal.TEN, 0, AT)), "quantity");
        assertDeadLetter(record(order("alice", BigDecimal.TEN, 1, Instant.parse("+10000-01-01T00:00:00Z"))), "expiresAt");
        // a lone surrogate would be stored as '?': a different shopper
        assertDeadLetter(record(SaleEventJson.write(order("alice", BigDecimal.TEN, 1, AT)).replace("\"alice\"", "\"al\\ud800ice\"")),
                "shopperId");
    }

    @Test
    void aSaleWithAnEndBeyondTheYear9999IsADeadLetter() {
        SaleScheduled sale = new SaleScheduled("sale/sale-1/1", 1, AT, "sale-1", "Sneakers", BigDecimal.TEN, 10,
                AT, Instant.parse("+10000-01-01T00:00:00Z"), 1, 900, 2);

        DeadLetter letter = assertDeadLetter(record(SaleEventJson.write(sale)), "endsAt");

        assertThat(letter.saleId()).isEqualTo("sale-1");
    }

    @Test
    void aDeadLetterKeepsAtMostWhatItsTableHolds() {
        String huge = "{\"x\":\"" + "\uD83D\uDE00".repeat(20_000) + "\"}";

        DeadLetter letter = assertDeadLetter(new SourceRecord("sale-events", 0, 1, "k".repeat(1_000), huge), "not a sale event");

        assertThat(letter.source().value()).hasSizeLessThanOrEqualTo(SourceRecord.VALUE_LENGTH);
        assertThat(Character.isHighSurrogate(letter.source().value().charAt(letter.source().value().length() - 1))).isFalse();
        assertThat(letter.source().key()).hasSize(SourceRecord.KEY_LENGTH);
        assertThat(letter.reason()).hasSizeLessThanOrEqualTo(DeadLetter.REASON_LENGTH);
    }

    private static OrderReserved order(String shopperId, BigDecimal unitPrice, int quantity, Instant expiresAt) {
        return new OrderReserved(ORDER_ID + "/reserved", 1, AT, "sale-1", ORDER_ID, shopperId, quantity, unitPrice, 0, expiresAt, SLOT, 7);
    }

    private static SourceRecord record(OrderReserved event) {
        return record(SaleEventJson.write(event));
    }

    private static SourceRecord record(String value) {
        return new SourceRecord("sale-events", 2, 17, ORDER_ID, value);
    }

    private static DeadLetter assertDeadLetter(SourceRecord record, String reason) {
        LedgerEntry entry = LedgerEntries.of(record);
        assertThat(entry).as(String.valueOf(record.value())).isInstanceOf(DeadLetter.class);
        DeadLetter letter = (DeadLetter) entry;
        assertThat(letter.reason()).contains(reason);
        assertThat(letter.source().partition()).isEqualTo(record.partition());
        assertThat(letter.source().offset()).isEqualTo(record.offset());
        return letter;
    }
}
