package io.ovserve.api;

import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.util.Optional;
import java.util.OptionalLong;

/** Versions sent as strings (KServe's requests, the REST APIs' paths) to the model they name. */
public final class ModelRefs {

    private ModelRefs() {
    }

    /**
     * Empty or "0" (as in OVMS) for the latest, else a number; a negative one is not served (NOT_FOUND),
     * anything else that is no number is INVALID_ARGUMENT.
     */
    public static ModelRef parse(String name, String version) {
        if (version.isEmpty()) {
            return new ModelRef(name, OptionalLong.empty(), Optional.empty());
        }
        long number;
        try {
            number = Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw new ServingException(StatusCode.MODEL_VERSION_INVALID,
                    "model " + name + ": version \"" + version + "\" is not a number");
        }
        return new ModelRef(name, number != 0 ? OptionalLong.of(number) : OptionalLong.empty(), Optional.empty());
    }

    /**
     * The reference a call is counted under: the version it names, or for a version that is no number
     * one that names no loaded version (the string as a label), so that, as in OVMS, its refusal is
     * counted in no model's {@code ovms_requests_fail}. The call itself refuses it through {@link #parse}.
     */
    public static ModelRef countedAs(String name, String version) {
        try {
            return parse(name, version);
        } catch (ServingException invalid) {
            return new ModelRef(name, OptionalLong.empty(), Optional.of(version));
        }
    }
}
