package io.ovserve.api.kserve;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.grpc.Status;
import io.ovserve.api.GrpcReplies;
import io.ovserve.api.ModelRefs;
import io.ovserve.api.RequestCheck;
import io.ovserve.api.WireCounts;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.inference.CountedInput;
import io.ovserve.inference.InputValidator;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.RequestBounds;
import io.ovserve.inference.ServingException;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a ModelInferRequest on the wire (model name and version, each input's datatype, shape and
 * value counts, each raw_input_contents entry's size and BYTES elements) and refuses it, before
 * protobuf builds it, when translating it or the model it names would.
 */
final class ModelInferCheck implements RequestCheck {

    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final ModelManager models;
    private final GrpcReplies replies;

    ModelInferCheck(ModelManager models, GrpcReplies replies) {
        this.models = models;
        this.replies = replies;
    }

    @Override
    public Optional<Status> check(CodedInputStream in) throws IOException {
        String name = "";
        String version = "";
        List<InferInputCounts> inputs = new ArrayList<>();
        List<RawCounts> raw = new ArrayList<>();
        long outputs = 0;
        long parameters = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == WireCounts.tag(ModelInferRequest.MODEL_NAME_FIELD_NUMBER, LENGTH_DELIMITED)) {
                name = in.readStringRequireUtf8();
            } else if (tag == WireCounts.tag(ModelInferRequest.MODEL_VERSION_FIELD_NUMBER, LENGTH_DELIMITED)) {
                version = in.readStringRequireUtf8();
            } else if (tag == WireCounts.tag(ModelInferRequest.PARAMETERS_FIELD_NUMBER, LENGTH_DELIMITED)) {
                parameters += WireCounts.lengthDelimited(in, tag);
            } else if (tag == WireCounts.tag(ModelInferRequest.INPUTS_FIELD_NUMBER, LENGTH_DELIMITED)) {
                int limit = in.pushLimit(WireCounts.length(in));
                InferInputCounts input = new InferInputCounts();
                input.read(in);
                inputs.add(input);
                parameters += input.parameters();
                in.popLimit(limit);
            } else if (tag == WireCounts.tag(ModelInferRequest.OUTPUTS_FIELD_NUMBER, LENGTH_DELIMITED)) {
                int limit = in.pushLimit(WireCounts.length(in));
                outputs++;
                parameters += outputParameters(in);
                in.popLimit(limit);
            } else if (tag == WireCounts.tag(ModelInferRequest.RAW_INPUT_CONTENTS_FIELD_NUMBER, LENGTH_DELIMITED)) {
                raw.add(RawCounts.read(in, WireCounts.length(in)));
            } else {
                in.skipField(tag);
            }
        }
        ModelRef counted = ModelRefs.countedAs(name, version);
        try {
            RequestBounds.checkListed("outputs", outputs);
            RequestBounds.checkListed("parameters", parameters);
            ModelRef ref = ModelRefs.parse(name, version);
            Map<String, CountedInput> translated = counted(inputs, raw);
            ModelInstance instance = models.instance(ref);
            RequestBounds.check(instance.name(), translated, instance.inputs(), instance.imageInput(),
                    instance.queueBytes());
            return Optional.empty();
        } catch (ServingException refused) {
            return Optional.of(replies.refused("ModelInfer", counted, refused));
        }
    }

    /** The checks of {@link ModelInferTranslator#toInference} on the counted inputs, in the same order. */
    private static Map<String, CountedInput> counted(List<InferInputCounts> inputs, List<RawCounts> raw) {
        ModelInferTranslator.checkRawEntries(raw.size(), inputs.size());
        Map<String, CountedInput> counted = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            InferInputCounts input = inputs.get(i);
            Optional<RawCounts> values = raw.isEmpty() ? Optional.empty() : Optional.of(raw.get(i));
            if (counted.put(input.name(), InferInputReader.counted(input, values)) != null) {
                throw InputValidator.duplicate(input.name());
            }
        }
        return counted;
    }

    /** The parameters of one InferRequestedOutputTensor. */
    private static long outputParameters(CodedInputStream in) throws IOException {
        long parameters = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == WireCounts.tag(
                    ModelInferRequest.InferRequestedOutputTensor.PARAMETERS_FIELD_NUMBER, LENGTH_DELIMITED)) {
                parameters += WireCounts.lengthDelimited(in, tag);
            } else {
                in.skipField(tag);
            }
        }
        return parameters;
    }
}
