package io.ovserve.api.tfs;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.Parser;
import com.google.protobuf.WireFormat;
import io.grpc.Status;
import io.ovserve.api.GrpcReplies;
import io.ovserve.api.RequestCheck;
import io.ovserve.api.WireCounts;
import io.ovserve.inference.CountedInput;
import io.ovserve.inference.InputValidator;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.RequestBounds;
import io.ovserve.inference.ServingException;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;

/**
 * Reads a PredictRequest on the wire (model_spec, and each input's dtype, shape and value counts)
 * and refuses it, before protobuf builds it, when translating it or the model it names would.
 */
final class PredictCheck implements RequestCheck {

    private static final int MODEL_SPEC = PredictRequest.MODEL_SPEC_FIELD_NUMBER;
    private static final int INPUTS = PredictRequest.INPUTS_FIELD_NUMBER;
    private static final int OUTPUT_FILTER = PredictRequest.OUTPUT_FILTER_FIELD_NUMBER;

    private static final Parser<ModelSpec> MODEL_SPEC_PARSER = DiscardUnknownFieldsParser.wrap(ModelSpec.parser());

    private final ModelManager models;
    private final GrpcReplies replies;

    PredictCheck(ModelManager models, GrpcReplies replies) {
        this.models = models;
        this.replies = replies;
    }

    @Override
    public Optional<Status> check(CodedInputStream in) throws IOException {
        ModelSpec.Builder spec = ModelSpec.newBuilder();
        Map<String, TensorCounts> tensors = new LinkedHashMap<>();
        String duplicate = null;
        long outputFilter = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == WireCounts.tag(MODEL_SPEC, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(WireCounts.length(in));
                spec.mergeFrom(MODEL_SPEC_PARSER.parseFrom(in)); // its fields are single: it costs its bytes
                in.popLimit(limit);
            } else if (tag == WireCounts.tag(INPUTS, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(WireCounts.length(in));
                String name = readEntry(in, tensors);
                duplicate = duplicate == null && name != null ? name : duplicate;
                in.popLimit(limit);
            } else if (WireFormat.getTagFieldNumber(tag) == OUTPUT_FILTER) {
                outputFilter += WireCounts.lengthDelimited(in, tag);
            } else {
                in.skipField(tag);
            }
        }
        ModelRef ref = PredictTranslator.modelRef(spec.build());
        try {
            if (duplicate != null) {
                throw InputValidator.duplicate(duplicate);
            }
            RequestBounds.checkListed("output_filter", outputFilter);
            Map<String, CountedInput> inputs = new LinkedHashMap<>();
            tensors.forEach((name, tensor) -> inputs.put(name, TensorProtoReader.counted(name, tensor)));
            ModelInstance instance = models.instance(ref);
            RequestBounds.check(instance.name(), inputs, instance.inputs(), instance.imageInput(),
                    instance.queueBytes());
            return Optional.empty();
        } catch (ServingException refused) {
            return Optional.of(replies.refused("Predict", ref, refused));
        }
    }

    /**
     * One entry of the inputs map (key = 1, value = 2), added to {@code tensors}; the key if the map
     * already had it (protobuf would keep the last one, after building both).
     */
    private static String readEntry(CodedInputStream in, Map<String, TensorCounts> tensors) throws IOException {
        String key = "";
        TensorCounts value = new TensorCounts();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == WireCounts.tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                key = in.readStringRequireUtf8();
            } else if (tag == WireCounts.tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(WireCounts.length(in));
                value.read(in);
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        return tensors.put(key, value) != null ? key : null;
    }
}
