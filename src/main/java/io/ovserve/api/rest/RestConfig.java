package io.ovserve.api.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code ovserve.rest.*}: limits of the REST APIs. */
@ConfigMapping(prefix = "ovserve.rest")
public interface RestConfig {

    /**
     * The largest JSON a request may carry (KServe's JSON part, TensorFlow Serving's whole body). JSON is
     * read as a stream and checked against the model before a value is built, so its size costs parsing
     * time rather than heap; a number in JSON still takes 2-10 times its binary bytes, so large tensors
     * belong in binary data (or gRPC).
     */
    @WithDefault("16M")
    MemorySize maxJsonSize();
}
