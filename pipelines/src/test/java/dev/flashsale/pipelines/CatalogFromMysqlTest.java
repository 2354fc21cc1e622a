package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;

import dev.flashsale.api.ShopClient;
import dev.flashsale.api.ShopClient.Answer;
import dev.flashsale.grid.Jobs;

/**
 * MySQL's sales table is ops' source of truth: a sale inserted or changed by plain SQL, or by the
 * admin API (which writes MySQL), reaches the grid and the API by change data capture, within
 * seconds, and a top-up counts once however often its change is replayed.
 */
class CatalogFromMysqlTest {

    private static final Duration SECONDS = Duration.ofSeconds(20);

    private static SalePlatform platform;
    private static ShopClient shop;

    @BeforeAll
    static void start() {
        platform = SalePlatform.start(2);
        shop = platform.api.shop();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aSaleInsertedByPlainSqlAppearsAndOpensOnTime() {
        // given a sale inserted straight into MySQL, opening in 4 s
        Instant opens = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
        insert("by-sql", 10, 2, opens);

        // then the API shows it within seconds, upcoming, and refuses a purchase before it opens
        await().atMost(SECONDS).untilAsserted(() -> assertThat(shop.get("/api/sales/by-sql").status()).isEqualTo(200));
        JsonNode sale = shop.get("/api/sales/by-sql").body();
        assertThat(sale.get("status").asText()).isEqualTo("upcoming");
        assertThat(sale.get("stock").asInt()).isEqualTo(10);
        assertThat(sale.get("price").decimalValue()).isEqualByComparingTo("12.50");
        if (Instant.now().isBefore(opens.minusMillis(500))) {
            assertThat(shop.purchase(token("early"), "by-sql", 1, "k").status()).isEqualTo(403);
        }
        // and sells from the second it opens
        await().atMost(SECONDS).untilAsserted(() -> assertThat(shop.purchase(token("early"), "by-sql", 1, "k").status()).isEqualTo(201));
    }

    @Test
    void aRescheduleAPriceChangeAndAPauseMadeInMysqlReachTheApi() {
        // given an open sale created through the admin API, which writes MySQL
        Answer created = shop.createSale(platform.api.adminToken(), "revised", 10, 2, 1, Instant.now().minusSeconds(1));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(shop.purchase(token("first"), "revised", 1, "k").status()).isEqualTo(201);

        // when ops pause it and change its price in MySQL, by hand
        platform.execute("UPDATE sales SET paused = TRUE, price = 99.00 WHERE sale_id = 'revised'");

        // then the API shows it paused at the new price, and purchases are refused as paused
        await().atMost(SECONDS).untilAsserted(() -> assertThat(shop.get("/api/sales/revised").body().get("status").asText())
                .isEqualTo("paused"));
        assertThat(shop.get("/api/sales/revised").body().get("price").decimalValue()).isEqualByComparingTo("99.00");
        Answer paused = shop.purchase(token("second"), "revised", 1, "k");
        assertThat(paused.status()).isEqualTo(403);
        assertThat(paused.text("error")).isEqualTo("paused");

        // when they resume it and move its end, then it sells again until the new end
        Instant newEnd = Instant.now().plusSeconds(7200).truncatedTo(ChronoUnit.MILLIS);
        platform.execute("UPDATE sales SET paused = FALSE, ends_at = '" + newEnd.toString().replace("T", " ").replace("Z", "")
                + "' WHERE sale_id = 'revised'");
        await().atMost(SECONDS).untilAsserted(() -> assertThat(shop.get("/api/sales/revised").body().get("endsAt").asText())
                .isEqualTo(newEnd.toString()));
        assertThat(shop.purchase(token("second"), "revised", 1, "k").status()).isEqualTo(201);

        // and the admin API's revision takes the same path
        Answer revised = patch("revised", "{\"name\": \"Renamed\", \"paused\": true}");
        assertThat(revised.status()).as(revised.body().toString()).isEqualTo(200);
        assertThat(revised.text("name")).isEqualTo("Renamed");
        assertThat(revised.text("status")).isEqualTo("paused");
        assertThat(patch("revised", "{\"price\": -1}").status()).isEqualTo(400);
        // and a revision that would leave the row no valid sale changes nothing, not even its other fields
        Answer invalid = patch("revised", "{\"paused\": false, \"startsAt\": \"" + newEnd.plusSeconds(60) + "\"}");
        assertThat(invalid.status()).as(invalid.body().toString()).isEqualTo(400);
        assertThat(invalid.text("error")).isEqualTo("invalid_sale");
        assertThat(shop.get("/api/sales/revised").body().get("status").asText()).isEqualTo("paused");
        assertThat(patch("no-such-sale", "{\"paused\": true}").status()).isEqualTo(404);
    }

    @Test
    void aTopUpRightAfterCreationCountsOnceThroughAReplayOfTheCaptureJob() throws Exception {
        // given a sale inserted by SQL and topped up in the same second, twice
        insert("topped-up", 10, 2, Instant.now().minusSeconds(1));
        platform.execute("UPDATE sales SET stock = stock + 5 WHERE sale_id = 'topped-up'");
        platform.execute("UPDATE sales SET stock = stock + 5 WHERE sale_id = 'topped-up'");

        // then the grid puts the 20 units on sale
        await().atMost(SECONDS).untilAsserted(() -> assertThat(remaining("topped-up")).isEqualTo(20));

        // when the capture job restarts from its snapshot (replaying what it read since) and
        // another top-up comes right after, then the grid has each top-up once
        Job capture = platform.job(Jobs.CATALOG);
        capture.restart();
        await().atMost(SECONDS).until(() -> capture.getStatus() == JobStatus.RUNNING);
        platform.execute("UPDATE sales SET stock = stock + 3 WHERE sale_id = 'topped-up'");
        await().atMost(SECONDS).untilAsserted(() -> assertThat(remaining("topped-up")).isEqualTo(23));
        // and a replacement job, which reads the whole table again, changes nothing either
        capture.cancel();
        await().atMost(SECONDS).until(() -> capture.getStatus().isTerminal());
        SaleJobs.submit(platform.api.client(), platform.settings);
        Thread.sleep(5_000);
        assertThat(remaining("topped-up")).isEqualTo(23);
        assertThat(shop.get("/api/sales/topped-up").body().get("stock").asInt()).isEqualTo(23);
    }

    @Test
    void aWithdrawalTakesOnlyWhatIsAvailableAndTheRestAsUnitsComeBack() {
        // given a sale of 4 units, 3 of them reserved
        Answer created = shop.createSale(platform.api.adminToken(), "withdrawn", 4, 1, 1, Instant.now().minusSeconds(1), 600);
        assertThat(created.status()).isEqualTo(201);
        String held = null;
        for (int i = 0; i < 3; i++) {
            Answer bought = shop.purchase(token("holder-" + i), "withdrawn", 1, "k");
            assertThat(bought.status()).isEqualTo(201);
            held = bought.text("orderId");
        }

        // when ops withdraw 3 units
        Answer withdrawal = stock("withdrawn", "{\"units\": -3}");

        // then the one available unit is taken, and the 2 others are the shortfall
        assertThat(withdrawal.status()).as(withdrawal.body().toString()).isEqualTo(200);
        assertThat(withdrawal.body().get("wanted").asInt()).isEqualTo(1);
        assertThat(withdrawal.body().get("onSale").asInt()).isEqualTo(3);
        assertThat(withdrawal.body().get("shortfall").asInt()).isEqualTo(2);
        assertThat(remaining("withdrawn")).isZero();
        assertThat(shop.purchase(token("late"), "withdrawn", 1, "k").status()).isEqualTo(410);

        // when a holder cancels, then the unit that comes back is withdrawn too, not sold
        assertThat(shop.cancel(token("holder-2"), held).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                () -> assertThat(shop.get("/api/sales/withdrawn").body().get("stock").asInt()).isEqualTo(2));
        assertThat(remaining("withdrawn")).isZero();
        // and a withdrawal below nothing, or an empty one, is refused
        assertThat(stock("withdrawn", "{\"units\": -5}").status()).isEqualTo(409);
        assertThat(stock("withdrawn", "{\"units\": 0}").status()).isEqualTo(400);
        assertThat(stock("no-such-sale", "{\"units\": 1}").status()).isEqualTo(404);
    }

    @Test
    void ddlTheCaptureCannotParseDoesNotStopIt() throws Exception {
        // given a trigger on another table, in a syntax the capture's DDL parser does not know
        platform.execute("""
                CREATE TRIGGER unparsed BEFORE INSERT ON dead_letters FOR EACH ROW
                IF NEW.reason = 'never' THEN
                    DO SLEEP(0);
                END IF""");
        try {
            // when a sale is inserted after it
            insert("after-ddl", 5, 1, Instant.now().minusSeconds(1));

            // then the capture job still runs and carries it
            Thread.sleep(3_000);
            assertThat(platform.job(Jobs.CATALOG).getStatus()).isEqualTo(JobStatus.RUNNING);
            await().atMost(SECONDS).untilAsserted(() -> assertThat(remaining("after-ddl")).isEqualTo(5));
        } finally {
            platform.execute("DROP TRIGGER unparsed");
        }
    }

    private static void insert(String saleId, int stock, int buckets, Instant startsAt) {
        platform.execute("INSERT INTO sales (sale_id, name, price, stock, starts_at, ends_at, per_shopper_limit, "
                + "payment_window_seconds, buckets) VALUES ('" + saleId + "', 'Inserted by hand', 12.50, " + stock + ", '"
                + sql(startsAt) + "', '" + sql(startsAt.plusSeconds(3600)) + "', 1, 600, " + buckets + ")");
    }

    private static String sql(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString().replace("T", " ").replace("Z", "");
    }

    /** The units a sale has left; -1 while the API does not know the sale yet. */
    private static int remaining(String saleId) {
        Answer sale = shop.get("/api/sales/" + saleId);
        return sale.status() == 200 ? sale.body().get("remaining").asInt() : -1;
    }

    private static String token(String shopper) {
        return platform.api.shopperToken(shopper);
    }

    private static Answer patch(String saleId, String body) {
        return shop.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(shop.baseUrl() + "/admin/sales/" + saleId))
                .header("Authorization", "Bearer " + platform.api.adminToken())
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Answer stock(String saleId, String body) {
        return shop.send(shop.post("/admin/sales/" + saleId + "/stock", platform.api.adminToken(), body));
    }
}
