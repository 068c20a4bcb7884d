package io.ovserve.api.tfs;

import com.google.protobuf.Int64Value;
import com.google.protobuf.UnsafeByteOperations;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.OutputTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/** PredictRequest to the internal request, and the internal response back to PredictResponse. */
final class PredictTranslator {

    private PredictTranslator() {
    }

    /**
     * Version 0, which OVMS clients send when they name no version, means the latest, as in OVMS;
     * any other number names that version, so a negative one is not served (NOT_FOUND), as in OVMS.
     */
    static ModelRef modelRef(ModelSpec spec) {
        long version = spec.getVersion().getValue();
        return new ModelRef(spec.getName(), version != 0 ? OptionalLong.of(version) : OptionalLong.empty(),
                spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSION_LABEL
                        ? Optional.of(spec.getVersionLabel()) : Optional.empty());
    }

    static InferenceRequest toInference(PredictRequest request) {
        Map<String, InputTensor> inputs = new LinkedHashMap<>();
        request.getInputsMap().forEach((name, tensor) -> inputs.put(name, TensorProtoReader.read(name, tensor)));
        return new InferenceRequest(modelRef(request.getModelSpec()), inputs, Set.copyOf(request.getOutputFilterList()));
    }

    static PredictResponse fromInference(InferenceResponse response) {
        PredictResponse.Builder reply = PredictResponse.newBuilder().setModelSpec(ModelSpec.newBuilder()
                .setName(response.modelName())
                .setVersion(Int64Value.of(response.version())));
        response.outputs().forEach((name, tensor) -> reply.putOutputs(name, toProto(tensor)));
        return reply.build();
    }

    private static TensorProto toProto(OutputTensor tensor) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : tensor.shape()) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return TensorProto.newBuilder()
                .setDtype(TfsDataTypes.toTensorFlow(tensor.type()))
                .setTensorShape(shape)
                // the bytes were copied out of OpenVINO for this response alone: no second copy
                .setTensorContent(UnsafeByteOperations.unsafeWrap(tensor.data()))
                .build();
    }
}
