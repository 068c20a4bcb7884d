package io.ovserve.api.tfs;

import io.ovserve.model.ModelInstance;
import io.ovserve.openvino.PortInfo;
import org.tensorflow.framework.SignatureDef;
import org.tensorflow.framework.TensorInfo;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;

/** A model's inputs and outputs as the {@code serving_default} signature OVMS reports. */
final class SignatureDefs {

    private SignatureDefs() {
    }

    static SignatureDefMap of(ModelInstance model) {
        SignatureDef.Builder signature = SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict");
        model.inputs().forEach(port -> signature.putInputs(port.name(), tensorInfo(port)));
        model.outputs().forEach(port -> signature.putOutputs(port.name(), tensorInfo(port)));
        return SignatureDefMap.newBuilder().putSignatureDef("serving_default", signature.build()).build();
    }

    private static TensorInfo tensorInfo(PortInfo port) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        long[] dims = port.shape();
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dim.Builder dim = TensorShapeProto.Dim.newBuilder().setSize(dims[i]);
            if (dims[i] < 0) {
                dim.setName(port.describeDimension(i)); // TFS has no field for bounds: "1..8" as OpenVINO writes it
            }
            shape.addDim(dim);
        }
        return TensorInfo.newBuilder()
                .setName(port.name())
                .setDtype(TfsDataTypes.toTensorFlow(port.type()))
                .setTensorShape(shape)
                .build();
    }
}
