package io.ovserve.openvino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Element types by their ov_element_type_e codes (openvino/c/ov_common.h). */
class ElementTypeTest {

    @Test
    void everyServedTypeHasTheCodeOpenVinoGivesIt() {
        for (ElementType type : ElementType.values()) {
            assertThat(ElementType.openVinoName(type.code())).isEqualTo(type.name().toLowerCase());
            assertThat(ElementType.ofCode(type.code())).isSameAs(type);
        }
    }

    @Test
    void anUnservedTypeIsRefusedByItsName() {
        assertThatThrownBy(() -> ElementType.ofCode(23)).hasMessageContaining("element type string")
                .hasMessageContaining("not supported");
    }

    @Test
    void aCodeBeyondTheHeadersIsRefusedByNumber() {
        assertThatThrownBy(() -> ElementType.ofCode(99)).hasMessageContaining("unknown (code 99)");
    }
}
