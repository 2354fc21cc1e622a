package dev.flashsale.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;

/** The one-command demo starts the platform with a sale that is about to open. */
class DemoTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void demoServesAnUpcomingSaleAndHandsOutTokens() throws Exception {
        // given the demo on a cluster name and port of its own
        JvmDefaults.apply();
        String cluster = "demo-test-" + UUID.randomUUID();
        Config member = GridConfig.member(Map.of()).setClusterName(cluster);
        member.getNetworkConfig().setPort(5_851).setPortAutoIncrement(false);
        member.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(List.of("127.0.0.1:5851"));
        ClientConfig client = GridConfig.client(Map.of()).setClusterName(cluster);

        try (Demo demo = Demo.start(member, client, Map.of("FLASHSALE_HTTP_PORT", "0", Demo.DATA_DIR_ENV, "target/demo-test-data"))) {
            String base = "http://127.0.0.1:" + demo.httpPort();

            // when a visitor looks at the sale and asks for a token
            HttpResponse<String> sale = http.send(HttpRequest.newBuilder(URI.create(base + "/api/sales/" + Demo.SALE_ID)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/demo/tokens"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            // then the sale is upcoming with its stock, and a token comes back
            assertThat(sale.statusCode()).isEqualTo(200);
            assertThat(sale.body()).contains("\"status\":\"upcoming\"", "\"remaining\":100");
            assertThat(token.statusCode()).isEqualTo(201);
            assertThat(token.body()).contains("\"token\":\"ey");
        }
    }
}
