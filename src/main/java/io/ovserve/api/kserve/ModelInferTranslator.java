package io.ovserve.api.kserve;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferResponse;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.InputValidator;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** ModelInferRequest to the internal request, and the internal response back to ModelInferResponse. */
final class ModelInferTranslator {

    private ModelInferTranslator() {
    }

    /** The request to the version {@code ref} names (parsed from the request by {@link io.ovserve.api.ModelRefs#parse}). */
    static InferenceRequest toInference(ModelRef ref, ModelInferRequest request) {
        int raw = request.getRawInputContentsCount();
        checkRawEntries(raw, request.getInputsCount());
        Map<String, InputTensor> inputs = new LinkedHashMap<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            Optional<ByteString> values = raw == 0 ? Optional.empty() : Optional.of(request.getRawInputContents(i));
            if (inputs.put(input.getName(), InferInputReader.read(input, values)) != null) {
                throw InputValidator.duplicate(input.getName());
            }
        }
        Set<String> outputs = request.getOutputsList().stream()
                .map(ModelInferRequest.InferRequestedOutputTensor::getName).collect(Collectors.toUnmodifiableSet());
        return new InferenceRequest(ref, inputs, outputs);
    }

    /** raw_input_contents holds one entry per input, or none. */
    static void checkRawEntries(long raw, long inputs) {
        if (raw != 0 && raw != inputs) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "raw_input_contents has " + raw
                    + " entries for " + inputs + " inputs: one per input, in the order of inputs, "
                    + "or none (values in each input's contents)");
        }
    }

    /** The outputs' values in raw_output_contents, as OVMS answers and Triton's clients read them. */
    static ModelInferResponse fromInference(InferenceResponse response, String id) {
        ModelInferResponse.Builder reply = ModelInferResponse.newBuilder()
                .setModelName(response.modelName())
                .setModelVersion(Long.toString(response.version()))
                .setId(id);
        response.outputs().forEach((name, tensor) -> {
            reply.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(name)
                    .setDatatype(KServeDataTypes.toKServe(tensor.type()))
                    .addAllShape(Arrays.stream(tensor.shape()).boxed().toList()));
            // the bytes were copied out of OpenVINO for this response alone: no second copy
            reply.addRawOutputContents(UnsafeByteOperations.unsafeWrap(tensor.data()));
        });
        return reply.build();
    }
}
