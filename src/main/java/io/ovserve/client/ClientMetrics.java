package io.ovserve.client;

import io.grpc.Status;
import java.util.Set;

/** What the client reports about its calls: to Micrometer when it is on the class path. */
interface ClientMetrics {

    ClientMetrics NONE = new ClientMetrics() {
    };

    /** One attempt on one instance ended. */
    default void attempt(String instance, Status.Code code) {
    }

    /** One call ended, after all its attempts. */
    default void call(String method, Status.Code code, long nanos) {
    }

    default void retry() {
    }

    default void ejection(String instance) {
    }

    /** Drops what is kept about instances discovery no longer lists. */
    default void retainOnly(Set<String> instances) {
    }

    static ClientMetrics forService(String service, boolean enabled) {
        if (!enabled) {
            return NONE;
        }
        try {
            Class.forName("io.micrometer.core.instrument.Metrics", false, ClientMetrics.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return NONE;
        }
        return new MicrometerClientMetrics(service);
    }
}
