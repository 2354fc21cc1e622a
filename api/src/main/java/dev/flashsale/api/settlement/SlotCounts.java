package dev.flashsale.api.settlement;

import java.util.List;
import java.util.UUID;

import dev.flashsale.api.settlement.SettlementLedger.SlotCount;

/**
 * What MySQL holds of one bucket's reservations, per member (slot), in the arrays a bucket
 * keeps them in: {@code ids} two longs per member, then each member's reservations and units;
 * and the newest write count among them.
 */
public record SlotCounts(long[] ids, int[] reservations, int[] units, long newestWrite) {

    public static SlotCounts of(List<SlotCount> slots) {
        long[] ids = new long[2 * slots.size()];
        int[] reservations = new int[slots.size()];
        int[] units = new int[slots.size()];
        long newest = 0;
        for (int i = 0; i < slots.size(); i++) {
            SlotCount count = slots.get(i);
            UUID slot = UUID.fromString(count.slot());
            ids[2 * i] = slot.getMostSignificantBits();
            ids[2 * i + 1] = slot.getLeastSignificantBits();
            reservations[i] = (int) count.reservations();
            units[i] = (int) count.units();
            newest = Math.max(newest, count.newestWrite());
        }
        return new SlotCounts(ids, reservations, units, newest);
    }

    /** Every unit the member's reservations took. */
    public long unitsTaken() {
        long taken = 0;
        for (int unit : units) {
            taken += unit;
        }
        return taken;
    }
}
