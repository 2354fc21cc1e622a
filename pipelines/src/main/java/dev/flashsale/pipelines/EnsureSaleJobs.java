package dev.flashsale.pipelines;

import java.io.Serializable;
import java.util.concurrent.Callable;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

/**
 * The part of a submission that changes jobs (resume, cancel and replace, submit), sent to the
 * cluster's durable executor so that it runs on a member, which has the jobs' code. A submitter
 * killed after sending it cannot stop it half way, between cancelling a job and submitting its
 * replacement; a member that dies while running it leaves it to its backup, which runs it again
 * (every step looks at the jobs first, so running it twice, even at once, is no harm).
 *
 * <p>The member builds the pipelines from its own classes, so it refuses a task from a
 * submitter of another {@link SaleJobs#VERSION}: a job labelled with one version must run that
 * version's code. Upgrade every member before running the new submitter.
 */
final class EnsureSaleJobs implements Callable<String>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;

    private final PipelineSettings settings;
    private final int topicPartitions;
    private final String version;
    private final String codeVersion = SaleJobs.VERSION;
    private transient HazelcastInstance member;

    EnsureSaleJobs(PipelineSettings settings, int topicPartitions, String version) {
        this.settings = settings;
        this.topicPartitions = topicPartitions;
        this.version = version;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public String call() {
        if (!codeVersion.equals(SaleJobs.VERSION)) {
            throw new IllegalStateException("this member has the jobs' code of version " + SaleJobs.VERSION
                    + ", the submitter's is " + codeVersion + ": upgrade every member before submitting");
        }
        return SaleJobs.ensureAllRun(member, settings, topicPartitions, version);
    }

    @Override
    public String toString() {
        return "EnsureSaleJobs[version=" + version + ", topicPartitions=" + topicPartitions + "]";
    }
}
