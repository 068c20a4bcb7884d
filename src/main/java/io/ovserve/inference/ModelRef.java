package io.ovserve.inference;

import java.util.Optional;
import java.util.OptionalLong;

/** Which model a request names: a name and at most one of a version number or a version label. */
public record ModelRef(String name, OptionalLong version, Optional<String> versionLabel) {

    @Override
    public String toString() {
        return name + version.stream().mapToObj(v -> " version " + v).findFirst().orElse("")
                + versionLabel.map(label -> " version label " + label).orElse("");
    }
}
