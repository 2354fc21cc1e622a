package dev.flashsale.pipelines;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;

import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;

/**
 * Migrates the MySQL schema, then makes sure the sale jobs run on the cluster, and exits.
 * Safe to run any number of times: {@code java -cp ... dev.flashsale.pipelines.JobSubmitter}.
 */
public final class JobSubmitter {

    private JobSubmitter() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        PipelineSettings settings = PipelineSettings.load();
        Schema.migrate(settings);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(GridConfig.client());
        try {
            SaleJobs.submit(client, settings);
        } finally {
            client.shutdown();
        }
    }
}
