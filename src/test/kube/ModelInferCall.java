import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferResponse;
import java.util.concurrent.TimeUnit;

/**
 * One KServe gRPC ModelInfer of a zero image on a model with one FP32 NCHW input, through the
 * stubs the application jar carries (the client mode speaks TFS Predict only). Prints the first
 * output's name, datatype, shape and byte count; exits non-zero when the call fails.
 * Run with the source launcher: java -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*'
 * src/test/kube/ModelInferCall.java HOST PORT MODEL INPUT N,C,H,W
 */
public final class ModelInferCall {

    public static void main(String[] args) throws InterruptedException {
        String[] dims = args[4].split(",");
        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName(args[3]).setDatatype("FP32");
        long elements = 1;
        for (String dim : dims) {
            input.addShape(Long.parseLong(dim));
            elements *= Long.parseLong(dim);
        }
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(args[2]).addInputs(input)
                .addRawInputContents(com.google.protobuf.ByteString.copyFrom(new byte[Math.toIntExact(elements * 4)]))
                .build();
        ManagedChannel channel = NettyChannelBuilder.forAddress(args[0], Integer.parseInt(args[1])).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        try {
            ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(request);
            ModelInferResponse.InferOutputTensor output = response.getOutputs(0);
            System.out.printf("output %s %s %s %d bytes%n", output.getName(), output.getDatatype(),
                    output.getShapeList(), response.getRawOutputContents(0).size());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
