package dev.flashsale.stock;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;

/**
 * Takes {@code quantity} units from one stock bucket for an attempt to buy, in one atomic step
 * on the partition thread that owns the bucket. The new value carries the reservation
 * ({@link StockBucket#last()}), so the event journal records "units taken" in the same step
 * that takes them: no crash can separate the two.
 *
 * <p>It keeps no memory of orders, so it is exact by construction rather than by
 * remembering: every answer depends only on the bucket's serialized value and the call.
 * <ul>
 *   <li>An attempt whose lease settlement has fenced ({@code leaseUntil <= fencedUpTo}) takes
 *       nothing: a call still on its way when settlement decided cannot change the decision.</li>
 *   <li>Past the bucket's share of the journal ({@link JournalShare}) it takes nothing and
 *       answers {@code BACKLOG}, so that no reservation event can be overwritten unread.</li>
 *   <li>Run twice for one attempt (Hazelcast re-executes a call cut off by a member's death) it
 *       takes units twice, as two distinct reservations: the events carry both, MySQL keeps the
 *       first as the order's and counts the other as a duplicate, and settlement gives its
 *       units back ({@link RecordProgress}). The API never resends this call itself.</li>
 * </ul>
 *
 * <p>The owner stamps the reservation with its member id (the slot it counts in); its backup
 * does not run this processor again but takes the owner's new value ({@link ReplaceBucket}).
 * Send it to one key at a time ({@code submitToKey}): a call on several keys shares one
 * processor, and one backup processor, among them.
 */
public final class ReserveStock implements EntryProcessor<StockKey, StockBucket, Reservation>, HazelcastInstanceAware {

    private String orderId;
    private String shopperId;
    private int quantity;
    private BigDecimal unitPrice;
    private long now;
    private long expiresAtMillis;
    private long leaseUntil;

    private transient HazelcastInstance member;
    private transient StockBucket written;

    private ReserveStock() {
    }

    public ReserveStock(String orderId, String shopperId, int quantity, BigDecimal unitPrice, long now,
                        long expiresAtMillis, long leaseUntil) {
        this.orderId = orderId;
        this.shopperId = shopperId;
        this.quantity = quantity;
        this.unitPrice = unitPrice;
        this.now = now;
        this.expiresAtMillis = expiresAtMillis;
        this.leaseUntil = leaseUntil;
    }

    @Override
    public Reservation process(Map.Entry<StockKey, StockBucket> entry) {
        return process(entry, member.getCluster().getLocalMember().getUuid(), JournalShare.perBucket(member));
    }

    /** The step itself, on a member whose id is {@code slot} and whose buckets may hold {@code share} unread events. */
    public Reservation process(Map.Entry<StockKey, StockBucket> entry, UUID slot, long share) {
        written = null;
        StockBucket bucket = entry.getValue();
        if (bucket == null) {
            return Reservation.insufficient(0);
        }
        if (leaseUntil <= bucket.fencedUpTo()) {
            return new Reservation(Reservation.Outcome.FENCED, bucket.available());
        }
        if (bucket.unread() >= share) {
            return new Reservation(Reservation.Outcome.BACKLOG, bucket.available());
        }
        if (bucket.available() < quantity) {
            return Reservation.insufficient(bucket.available());
        }
        Reserved reserved = new Reserved(orderId, shopperId, quantity, unitPrice, now, expiresAtMillis,
                slot.toString(), bucket.nextWrite());
        written = bucket.reserve(slot, reserved);
        entry.setValue(written);
        return Reservation.won(written.available());
    }

    @Override
    public EntryProcessor<StockKey, StockBucket, Reservation> getBackupProcessor() {
        return written == null ? null : new ReplaceBucket<>(written);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    public String orderId() {
        return orderId;
    }

    public int quantity() {
        return quantity;
    }
}
