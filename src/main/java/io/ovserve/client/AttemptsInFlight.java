package io.ovserve.client;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts in flight on each instance, so that those on an instance discovery drops can be moved
 * elsewhere: a pod deleted with its network (a force-killed pod, a lost node) sends no RST, and its
 * attempts would otherwise wait on a dead connection until their call's deadline.
 */
final class AttemptsInFlight {

    /** An attempt that can be given up on, to be made again on another instance. */
    interface Attempt {
        void abandon();
    }

    private final Map<String, Set<Attempt>> byInstance = new ConcurrentHashMap<>();

    void add(String instance, Attempt attempt) {
        byInstance.compute(instance, (key, attempts) -> {
            Set<Attempt> set = attempts != null ? attempts : ConcurrentHashMap.newKeySet();
            set.add(attempt);
            return set;
        });
    }

    void remove(String instance, Attempt attempt) {
        byInstance.computeIfPresent(instance, (key, attempts) -> {
            attempts.remove(attempt);
            return attempts.isEmpty() ? null : attempts;
        });
    }

    /** Abandons every attempt on an instance not in {@code listed}. */
    void abandonAllBut(Set<String> listed) {
        byInstance.forEach((instance, attempts) -> {
            if (!listed.contains(instance)) {
                attempts.forEach(Attempt::abandon);
            }
        });
    }
}
