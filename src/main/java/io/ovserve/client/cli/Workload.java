package io.ovserve.client.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorInfo;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;

/**
 * The requests the client mode sends, built once and cycled through: encoded images from
 * {@code --images_list} ({@code batch_size} per request, binary input), or one random tensor of the
 * model's input shape and type, read from GetModelMetadata.
 */
final class Workload {

    private final List<PredictRequest> requests;
    private final AtomicLong next = new AtomicLong();

    private Workload(List<PredictRequest> requests) {
        this.requests = requests;
    }

    PredictRequest next() {
        return requests.get((int) Math.floorMod(next.getAndIncrement(), (long) requests.size()));
    }

    static Workload of(ClientOptions options, Caller caller) throws IOException {
        if (options.imagesList().isPresent()) {
            return images(options, options.imagesList().get());
        }
        GetModelMetadataResponse metadata = caller.metadata(GetModelMetadataRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(options.modelName()))
                .addMetadataField("signature_def").build());
        TensorInfo input = inputInfo(metadata, options.inputName());
        return new Workload(List.of(request(options, randomTensor(input, options.batchSize()))));
    }

    private static Workload images(ClientOptions options, Path list) throws IOException {
        List<ByteString> images = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            if (!line.isBlank()) {
                Path image = Path.of(line.trim());
                Path file = image.isAbsolute() || Files.exists(image) ? image : list.toAbsolutePath().resolveSibling(image);
                images.add(ByteString.copyFrom(Files.readAllBytes(file)));
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("--images_list " + list + " lists no image");
        }
        List<PredictRequest> requests = new ArrayList<>();
        for (int first = 0; first < images.size(); first++) {
            TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(
                    TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(options.batchSize())));
            for (int i = 0; i < options.batchSize(); i++) {
                tensor.addStringVal(images.get((first + i) % images.size()));
            }
            requests.add(request(options, tensor.build()));
        }
        return new Workload(requests);
    }

    private static PredictRequest request(ClientOptions options, TensorProto tensor) {
        return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName(options.modelName()))
                .putInputs(options.inputName(), tensor).addOutputFilter(options.outputName()).build();
    }

    private static TensorInfo inputInfo(GetModelMetadataResponse metadata, String inputName) throws IOException {
        Map<String, TensorInfo> inputs = metadata.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class)
                .getSignatureDefOrThrow("serving_default").getInputsMap();
        TensorInfo input = inputs.get(inputName);
        if (input == null) {
            throw new IllegalArgumentException("the model has no input '" + inputName + "'; its inputs are "
                    + inputs.keySet());
        }
        return input;
    }

    /** Random values of the input's type and shape; the batch dimension, if dynamic, is {@code batch}. */
    static TensorProto randomTensor(TensorInfo input, int batch) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        long count = 1;
        List<TensorShapeProto.Dim> dims = input.getTensorShape().getDimList();
        for (int i = 0; i < dims.size(); i++) {
            long size = dims.get(i).getSize();
            if (i == 0 && (size == -1 || batch != 1)) {
                if (size != -1 && size != batch) {
                    throw new IllegalArgumentException("the model's batch size is " + size + ", not " + batch);
                }
                size = batch;
            }
            if (size < 0) {
                throw new IllegalArgumentException("input dimension " + i + " is dynamic: send images"
                        + " (--images_list), the server resizes them");
            }
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
            count = Math.multiplyExact(count, size);
        }
        int width = elementBytes(input.getDtype());
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(count * width)).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(42);
        while (data.hasRemaining()) {
            if (input.getDtype() == DataType.DT_FLOAT) {
                data.putFloat(random.nextFloat());
            } else if (input.getDtype() == DataType.DT_BOOL) {
                data.put((byte) random.nextInt(2));
            } else {
                data.put((byte) random.nextInt(64));
            }
        }
        return TensorProto.newBuilder().setDtype(input.getDtype()).setTensorShape(shape)
                .setTensorContent(UnsafeByteOperations.unsafeWrap(data.array())).build();
    }

    private static int elementBytes(DataType type) {
        return switch (type) {
            case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
            case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
            case DT_HALF, DT_INT16, DT_UINT16, DT_BFLOAT16 -> 2;
            case DT_INT8, DT_UINT8, DT_BOOL -> 1;
            default -> throw new IllegalArgumentException("cannot make a random tensor of " + type
                    + ": send images with --images_list");
        };
    }
}
