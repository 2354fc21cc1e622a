package dev.flashsale.stock;

import java.util.Arrays;
import java.util.UUID;

/**
 * One bucket of a sale's stock: counters and registers only, with no memory of orders.
 *
 * <p>Invariant: {@code available() = stock - units taken + returned}, never below zero on one
 * side of the grid. Units are taken only by {@link ReserveStock} and given back only through
 * {@code returned}, a register that only grows, set from MySQL (see {@link RecordProgress}).
 *
 * <p>Every field is in the serialized form: the owner, its backup, a migrated or promoted copy
 * and the event journal's copy are the same value, so no replica can answer a call differently
 * from another. Taken units are counted per <em>slot</em>, the member that took them, with
 * the write count of each reservation in its event: settlement compares each slot's count with
 * the reservations MySQL holds from that slot, and raises a slot MySQL holds more of
 * ({@link RaiseSlotCounts}), as after a promotion or a merge that lost a reservation's value
 * but not its event.
 *
 * <ul>
 *   <li>{@code fencedUpTo}: a reservation whose attempt lease ends at or before this is refused.
 *       Settlement raises it before it decides a claim, so a call that is still on its way
 *       cannot take a unit afterwards.</li>
 *   <li>{@code writes}: how many times the entry was written, i.e. its entries in the journal.
 *       An event (a reservation, an order that ended, units given back) carries the count it
 *       was written with ({@code lastEventWrite} is the latest); {@code readUpTo} is the
 *       largest such count MySQL has, fed back by settlement. The journal is read in order, so
 *       {@code writes - readUpTo} bounds the entries written since the oldest event not yet
 *       read: {@link ReserveStock}, {@link RecordEnding} and {@link FenceBucket} refuse past the
 *       bucket's share of the journal instead of letting it overwrite an unread event. Once
 *       MySQL has the latest event, every write so far counts as read: the other writes
 *       (fences, progress) carry nothing the outbox needs, so losing them to the journal's
 *       overwriting loses nothing.</li>
 *   <li>{@code stock} and {@code wanted}: the units the bucket puts on sale, and the units its
 *       latest stock plan wants it to ({@link SetStock}). {@code stock} is never below the units
 *       its orders hold, so after a withdrawal that could not take them all it stays above
 *       {@code wanted}; units that come back then lower it, in the write that gives them back,
 *       until it is down to {@code wanted}: they are never put on sale first.</li>
 *   <li>{@code last}, {@code ended}, {@code gaveBackAtMillis}: the event this write is, which the
 *       outbox publishes (a reservation, an order that ended, a new total of units given
 *       back, and when; 0 if not); every other write clears them.</li>
 * </ul>
 */
public record StockBucket(
        int stock,
        int returned,
        long fencedUpTo,
        long writes,
        long readUpTo,
        long lastEventWrite,
        long[] slotIds,
        int[] slotReservations,
        int[] slotUnits,
        Reserved last,
        OrderEnded ended,
        long gaveBackAtMillis,
        long stockPlan,
        int wanted) {

    private static final long[] NO_IDS = new long[0];
    private static final int[] NO_COUNTS = new int[0];

    public static StockBucket withStock(int units) {
        return new StockBucket(units, 0, Long.MIN_VALUE, 1, 1, 0, NO_IDS, NO_COUNTS, NO_COUNTS, null, null, 0, 0, units);
    }

    /**
     * A bucket as MySQL's records make it, for the grid rebuilt after a full restart: the
     * reservations MySQL holds, per member ({@code ids} two longs per member), the units it
     * owes back ({@code returned}), and {@code units} on sale. Its journal starts past every
     * event MySQL has ({@code readUpTo}), with none unread.
     */
    public static StockBucket rebuilt(int units, int returned, long readUpTo, long[] ids, int[] reservations, int[] taken) {
        long writes = Math.max(1, readUpTo) + 1;
        return new StockBucket(units, returned, Long.MIN_VALUE, writes, writes, 0, ids.clone(), reservations.clone(), taken.clone(),
                null, null, 0, 0, units);
    }

    public int available() {
        return stock - unitsTaken() + returned;
    }

    /** Units reservations took, including those since given back. */
    public int unitsTaken() {
        int units = 0;
        for (int slotUnit : slotUnits) {
            units += slotUnit;
        }
        return units;
    }

    /** Units taken and not given back. */
    public int taken() {
        return unitsTaken() - returned;
    }

    /** Reservations made here: each is one {@code order.reserved} event. */
    public long reservations() {
        long count = 0;
        for (int slotReservation : slotReservations) {
            count += slotReservation;
        }
        return count;
    }

    /**
     * Journal events of this bucket written since its oldest reservation that MySQL may not
     * have seen yet: 0 when MySQL has them all.
     */
    public long unread() {
        return lastEventWrite <= readUpTo ? 0 : writes - readUpTo;
    }

    /** This bucket with {@code reserved.quantity()} units taken by {@code slot}, recorded as its event. */
    StockBucket reserve(UUID slot, Reserved reserved) {
        Slots slots = new Slots(slotIds, slotReservations, slotUnits);
        int index = slots.indexOf(slot);
        slots.reservations[index]++;
        slots.units[index] += reserved.quantity();
        return new StockBucket(stock, returned, fencedUpTo, writes + 1, readBeforeEvent(), writes + 1, slots.ids,
                slots.reservations, slots.units, reserved, null, 0, stockPlan, wanted);
    }

    /** This bucket putting {@code units} on sale in all, by stock plan {@code plan} ({@link SetStock}). */
    StockBucket puttingOnSale(int units, long plan) {
        return new StockBucket(Math.max(units, taken()), returned, fencedUpTo, writes + 1, readUpTo, lastEventWrite, slotIds,
                slotReservations, slotUnits, null, null, 0, plan, units);
    }

    /** This bucket journaling that one of its orders ended ({@link RecordEnding}). */
    StockBucket ended(OrderEnded order) {
        return new StockBucket(stock, returned, fencedUpTo, writes + 1, readBeforeEvent(), writes + 1, slotIds,
                slotReservations, slotUnits, null, order, 0, stockPlan, wanted);
    }

    /** What {@code readUpTo} becomes at a write that is an event: with every earlier event read, the writes before it put none at risk. */
    private long readBeforeEvent() {
        return lastEventWrite <= readUpTo ? writes : readUpTo;
    }

    StockBucket fencedUpTo(long leaseEnd) {
        return new StockBucket(stock, returned, leaseEnd, writes + 1, readUpTo, lastEventWrite, slotIds, slotReservations,
                slotUnits, null, null, 0, stockPlan, wanted);
    }

    /**
     * This bucket knowing that MySQL has its events up to write {@code read}, and
     * {@code returnedUnits} to give back, at {@code at}. Units given back are an event
     * ({@code gaveBackAtMillis}: the outbox publishes the new total as {@code stock.returned}).
     */
    StockBucket progress(long read, int returnedUnits, long at) {
        if (returnedUnits > returned) {
            StockBucket knowing = new StockBucket(stock, returned, fencedUpTo, writes, read, lastEventWrite, slotIds,
                    slotReservations, slotUnits, null, null, 0, stockPlan, wanted);
            // Units coming back to a bucket that holds more than it is wanted to (a withdrawal
            // that could not take them) go to the withdrawal, in this same write, not on sale.
            int units = stock > wanted ? Math.max(wanted, unitsTaken() - returnedUnits) : stock;
            return new StockBucket(units, returnedUnits, fencedUpTo, writes + 1, knowing.readBeforeEvent(), writes + 1,
                    slotIds, slotReservations, slotUnits, null, null, at, stockPlan, wanted);
        }
        long readNow = read >= lastEventWrite ? writes + 1 : read;
        return new StockBucket(stock, returnedUnits, fencedUpTo, writes + 1, readNow, lastEventWrite, slotIds,
                slotReservations, slotUnits, null, null, 0, stockPlan, wanted);
    }

    /**
     * This bucket with each slot's counts raised to at least the given ones, which MySQL holds
     * (see {@link RaiseSlotCounts}), and its write count to at least {@code newestWrite};
     * {@code ids} holds each slot as two longs. The same bucket if nothing is below.
     */
    StockBucket withCountsAtLeast(long[] ids, int[] reservations, int[] units, long newestWrite) {
        Slots slots = new Slots(slotIds, slotReservations, slotUnits).raisedTo(ids, reservations, units);
        if (Arrays.equals(slots.reservations, slotReservations) && Arrays.equals(slots.units, slotUnits)
                && slots.ids.length == slotIds.length && newestWrite <= writes) {
            return this;
        }
        return new StockBucket(stock, returned, fencedUpTo, Math.max(writes, newestWrite) + 1, readUpTo, lastEventWrite,
                slots.ids, slots.reservations, slots.units, null, null, 0, stockPlan, wanted);
    }

    /** The next write's count, which a reservation made now would carry. */
    long nextWrite() {
        return writes + 1;
    }

    /** Copies of a bucket's per-slot counts, to change for a new value of it. */
    private static final class Slots {
        long[] ids;
        int[] reservations;
        int[] units;

        Slots(long[] ids, int[] reservations, int[] units) {
            this.ids = ids.clone();
            this.reservations = reservations.clone();
            this.units = units.clone();
        }

        /** These counts, each slot's raised to the larger of its own and the given ones. */
        Slots raisedTo(long[] otherIds, int[] otherReservations, int[] otherUnits) {
            for (int theirs = 0; theirs < otherReservations.length; theirs++) {
                int ours = indexOf(new UUID(otherIds[2 * theirs], otherIds[2 * theirs + 1]));
                reservations[ours] = Math.max(reservations[ours], otherReservations[theirs]);
                units[ours] = Math.max(units[ours], otherUnits[theirs]);
            }
            return this;
        }

        /** The index of {@code slot}, added with zero counts if it has none yet. */
        int indexOf(UUID slot) {
            long most = slot.getMostSignificantBits();
            long least = slot.getLeastSignificantBits();
            for (int i = 0; i < reservations.length; i++) {
                if (ids[2 * i] == most && ids[2 * i + 1] == least) {
                    return i;
                }
            }
            int added = reservations.length;
            ids = Arrays.copyOf(ids, ids.length + 2);
            ids[2 * added] = most;
            ids[2 * added + 1] = least;
            reservations = Arrays.copyOf(reservations, added + 1);
            units = Arrays.copyOf(units, added + 1);
            return added;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StockBucket that
                && stock == that.stock && returned == that.returned && fencedUpTo == that.fencedUpTo
                && writes == that.writes && readUpTo == that.readUpTo && lastEventWrite == that.lastEventWrite
                && Arrays.equals(slotIds, that.slotIds) && Arrays.equals(slotReservations, that.slotReservations)
                && Arrays.equals(slotUnits, that.slotUnits) && java.util.Objects.equals(last, that.last)
                && java.util.Objects.equals(ended, that.ended) && gaveBackAtMillis == that.gaveBackAtMillis && stockPlan == that.stockPlan;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(stock, returned, fencedUpTo, writes, readUpTo, lastEventWrite,
                Arrays.hashCode(slotIds), Arrays.hashCode(slotReservations), Arrays.hashCode(slotUnits), last, ended, gaveBackAtMillis, stockPlan, wanted);
    }

    @Override
    public String toString() {
        return "StockBucket[stock=" + stock + ", available=" + available() + ", reservations=" + reservations()
                + ", returned=" + returned + ", fencedUpTo=" + fencedUpTo + ", writes=" + writes + ", readUpTo=" + readUpTo
                + ", slots=" + slotReservations.length + ", last=" + last + ", ended=" + ended + ", gaveBackAt=" + gaveBackAtMillis + "]";
    }
}
