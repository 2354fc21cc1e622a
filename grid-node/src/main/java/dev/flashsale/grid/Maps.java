package dev.flashsale.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/** The grid's maps, by name and type. Their settings are in config/hazelcast-member.yaml. */
public final class Maps {

    public static final String SALES = "sales";
    public static final String STOCK = "stock";
    public static final String PURCHASES = "purchases";

    private Maps() {
    }

    public static IMap<String, Sale> sales(HazelcastInstance hazelcast) {
        return hazelcast.getMap(SALES);
    }

    public static IMap<StockKey, StockBucket> stock(HazelcastInstance hazelcast) {
        return hazelcast.getMap(STOCK);
    }

    public static IMap<ShopperKey, Purchases> purchases(HazelcastInstance hazelcast) {
        return hazelcast.getMap(PURCHASES);
    }
}
