package io.ovserve.client.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Several {@link Replica}s, started in parallel, all stopped together. */
public final class Replicas implements AutoCloseable {

    private final List<Replica> replicas;

    private Replicas(List<Replica> replicas) {
        this.replicas = replicas;
    }

    /** Starts {@code count} replicas, each with the same extra properties. */
    public static Replicas start(int count, String... properties) {
        List<CompletableFuture<Replica>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            starting.add(CompletableFuture.supplyAsync(() -> Replica.start(properties)));
        }
        List<Replica> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<Replica> replica : starting) {
            try {
                started.add(replica.join());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        Replicas all = new Replicas(started);
        if (failure != null) {
            all.close();
            throw failure;
        }
        return all;
    }

    public Replicas add(Replica replica) {
        replicas.add(replica);
        return this;
    }

    public Replica get(int index) {
        return replicas.get(index);
    }

    public List<Replica> all() {
        return List.copyOf(replicas);
    }

    public List<String> targets() {
        return replicas.stream().map(Replica::target).toList();
    }

    @Override
    public void close() {
        replicas.parallelStream().forEach(Replica::close);
    }
}
