package io.ovserve.api;

import com.google.protobuf.CodedInputStream;
import io.grpc.Status;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a gRPC request on the wire, tags and lengths only, before protobuf builds it: a message
 * builds an object per element of a repeated field, several times its bytes, so what the server
 * refuses is refused here, at the cost of reading its bytes once.
 */
@FunctionalInterface
public interface RequestCheck {

    /**
     * The status that refuses the request, or empty to parse it.
     *
     * @throws IOException when the bytes are no protobuf message (protobuf's own exception)
     */
    Optional<Status> check(CodedInputStream request) throws IOException;
}
