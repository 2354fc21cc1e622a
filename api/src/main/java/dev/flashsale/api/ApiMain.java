package dev.flashsale.api;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import io.javalin.Javalin;

/** Starts one API node: a Hazelcast client of the grid serving HTTP. */
public final class ApiMain {

    private ApiMain() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        Settings settings = Settings.load();
        HazelcastInstance client = HazelcastClient.newHazelcastClient(GridConfig.client());
        Javalin app = ApiApp.create(client, settings).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            client.shutdown();
        }, "api-shutdown"));
    }
}
