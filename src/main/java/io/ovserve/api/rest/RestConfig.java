package io.ovserve.api.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code ovserve.rest.*}: limits of the REST APIs. */
@ConfigMapping(prefix = "ovserve.rest")
public interface RestConfig {

    /**
     * The largest JSON a request may carry (KServe's JSON part, TensorFlow Serving's whole body): parsed,
     * JSON takes several times its size on the heap, so large tensors belong in binary data (or gRPC).
     */
    @WithDefault("16M")
    MemorySize maxJsonSize();
}
