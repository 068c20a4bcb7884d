package io.ovserve.api;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers INVALID_ARGUMENT, with protobuf's reason, to a request whose bytes are not the method's
 * request message (truncated, garbage). grpc-java parses a request before any interceptor or
 * listener sees it and answers any exception thrown there with UNKNOWN "Application error
 * processing RPC" (and a SEVERE log), so the failure is handed on here as a value instead.
 *
 * <p>The same seam bounds what a request may cost before it is parsed: a method's {@link RequestCheck}
 * reads the bytes first and may refuse them, and parsing discards unknown fields, which protobuf
 * would otherwise keep, one object per value.
 */
public final class UnparsableRequests {

    private UnparsableRequests() {
    }

    /** The same service, whose methods refuse unparsable requests themselves. */
    public static ServerServiceDefinition refusedAsInvalidArgument(ServerServiceDefinition service) {
        return refusedAsInvalidArgument(service, Map.of());
    }

    /**
     * The same service, whose methods refuse unparsable requests themselves, and, for the methods
     * named in {@code checks} (by their bare name, "Predict"), what their check refuses.
     */
    public static ServerServiceDefinition refusedAsInvalidArgument(ServerServiceDefinition service,
            Map<String, RequestCheck> checks) {
        List<ServerMethodDefinition<?, ?>> methods = service.getMethods().stream()
                .<ServerMethodDefinition<?, ?>>map(method -> refusing(method,
                        checks.get(method.getMethodDescriptor().getBareMethodName())))
                .toList();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(service.getServiceDescriptor().getName())
                .setSchemaDescriptor(service.getServiceDescriptor().getSchemaDescriptor());
        methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
        ServerServiceDefinition.Builder refusing = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(refusing::addMethod);
        return refusing.build();
    }

    private static <ReqT, RespT> ServerMethodDefinition<ParsedRequest<ReqT>, RespT> refusing(
            ServerMethodDefinition<ReqT, RespT> method, RequestCheck check) {
        MethodDescriptor<ReqT, RespT> original = method.getMethodDescriptor();
        MethodDescriptor<ParsedRequest<ReqT>, RespT> lenient = original
                .toBuilder(new LenientMarshaller<>(original, check), original.getResponseMarshaller()).build();
        return ServerMethodDefinition.create(lenient, (call, headers) -> new RefusingListener<>(call,
                method.getServerCallHandler().startCall(withOriginalDescriptor(call, original), headers)));
    }

    /** The call as the method's own handler expects it: typed and described as before. */
    private static <ReqT, RespT> ServerCall<ReqT, RespT> withOriginalDescriptor(
            ServerCall<ParsedRequest<ReqT>, RespT> call, MethodDescriptor<ReqT, RespT> original) {
        @SuppressWarnings("unchecked") // a ServerCall uses its request type only in getMethodDescriptor, replaced here
        ServerCall<ReqT, RespT> sameCall = (ServerCall<ReqT, RespT>) (ServerCall<?, RespT>) call;
        return new ForwardingServerCall.SimpleForwardingServerCall<>(sameCall) {
            @Override
            public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
                return original;
            }
        };
    }

    /** A request message, or the status that refuses bytes that are not one. */
    private record ParsedRequest<T>(T message, Status refusal) {
    }

    /**
     * Parses as the method's own marshaller does, unknown fields discarded, after the method's check if
     * it has one; returns a parse failure or a refusal instead of throwing it.
     */
    private record LenientMarshaller<T>(MethodDescriptor<T, ?> method, String messageName, Parser<T> parser,
            RequestCheck check) implements MethodDescriptor.Marshaller<ParsedRequest<T>> {

        LenientMarshaller(MethodDescriptor<T, ?> method, RequestCheck check) {
            this(method, ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor()).getMethodDescriptor()
                    .getInputType().getFullName(), parserOf(method), check);
        }

        @SuppressWarnings({"unchecked", "rawtypes"}) // the parser of the method's own request type, a Message
        private static <T> Parser<T> parserOf(MethodDescriptor<T, ?> method) {
            T prototype = ((MethodDescriptor.PrototypeMarshaller<T>) method.getRequestMarshaller()).getMessagePrototype();
            return (Parser<T>) DiscardUnknownFieldsParser.wrap((Parser) ((Message) prototype).getParserForType());
        }

        @Override
        public InputStream stream(ParsedRequest<T> request) {
            return method.streamRequest(request.message());
        }

        @Override
        public ParsedRequest<T> parse(InputStream stream) {
            try {
                InputStream bytes = check == null ? stream : rewindable(stream);
                if (check != null) {
                    bytes.mark(Integer.MAX_VALUE);
                    Optional<Status> refusal = check.check(CodedInputStream.newInstance(bytes));
                    if (refusal.isPresent()) {
                        return new ParsedRequest<>(null, refusal.get());
                    }
                    bytes.reset();
                }
                return new ParsedRequest<>(parser.parseFrom(bytes), null);
            } catch (StatusRuntimeException refused) {
                // refused as it inflates (BoundedGzip, max-inbound-message-size): that status, not UNKNOWN
                return new ParsedRequest<>(null, refused.getStatus());
            } catch (InvalidProtocolBufferException invalid) {
                return new ParsedRequest<>(null, Status.INVALID_ARGUMENT.withDescription(
                        "the request is not a valid " + messageName + ": " + reason(invalid)));
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("reading the request failed: " + e.getMessage()).withCause(e)
                        .asRuntimeException();
            }
        }

        /**
         * The request's bytes, readable twice: grpc-java's own stream of the received buffers marks and
         * resets at no cost, {@link BoundedGzip}'s by inflating again; another (a message of another
         * encoding, within max-inbound-message-size) is read into one array first.
         */
        private static InputStream rewindable(InputStream stream) throws IOException {
            return stream.markSupported() ? stream : new ByteArrayInputStream(stream.readAllBytes());
        }
    }

    /**
     * Protobuf's reason, for the client. Its size-limit message advises the parsing program
     * (CodedInputStream.setSizeLimit); here the limit is 2 GB and the message at most
     * max-inbound-message-size, so what it means is a length prefix beyond the message's end.
     */
    private static String reason(InvalidProtocolBufferException invalid) {
        String message = String.valueOf(invalid.getMessage());
        return message.startsWith("Protocol message was too large")
                ? "a length-delimited field claims more bytes than the message holds" : message;
    }

    /**
     * Hands parsed requests to the method's listener; closes the call on one that did not parse and
     * then passes on only the call's end, so the method never runs without its request.
     */
    private static final class RefusingListener<ReqT> extends ServerCall.Listener<ParsedRequest<ReqT>> {

        private final ServerCall<?, ?> call;
        private final ServerCall.Listener<ReqT> method;
        private boolean refused; // gRPC calls a listener from one call at a time

        RefusingListener(ServerCall<?, ?> call, ServerCall.Listener<ReqT> method) {
            this.call = call;
            this.method = method;
        }

        @Override
        public void onMessage(ParsedRequest<ReqT> request) {
            if (refused) {
                return;
            }
            if (request.refusal() == null) {
                method.onMessage(request.message());
            } else {
                refused = true;
                call.close(request.refusal(), new Metadata());
            }
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                method.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!refused) {
                method.onReady();
            }
        }

        @Override
        public void onCancel() {
            method.onCancel();
        }

        @Override
        public void onComplete() {
            method.onComplete();
        }
    }
}
