package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_layout_create;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_layout_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_input_info_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_input_info_get_model_info;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_input_info_get_tensor_info;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_input_model_info_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_input_model_info_set_layout;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_input_tensor_info_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_input_tensor_info_set_element_type;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_input_tensor_info_set_layout;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_prepostprocessor_build;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_prepostprocessor_create;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_prepostprocessor_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_preprocess_prepostprocessor_get_input_info_by_index;

import io.ovserve.openvino.binding.ov_layout_t;
import io.ovserve.openvino.binding.ov_model_t;
import io.ovserve.openvino.binding.ov_preprocess_input_info_t;
import io.ovserve.openvino.binding.ov_preprocess_input_model_info_t;
import io.ovserve.openvino.binding.ov_preprocess_input_tensor_info_t;
import io.ovserve.openvino.binding.ov_preprocess_prepostprocessor_t;

/**
 * Makes a single-input image model take decoded pixels as they come: u8, NHWC, BGR. OpenVINO's
 * preprocessing then converts precision and layout inside the compiled graph, where it fuses with
 * the first layers instead of costing a pass in Java.
 */
public final class ImageInputPreprocessing {

    private ImageInputPreprocessing() {
    }

    /**
     * Rewrites the model in place (it must not be compiled yet) and returns it.
     *
     * @param modelLayout the layout of the model's own input, "NCHW" or "NHWC"
     */
    public static Model toU8Nhwc(Model model, String modelLayout) {
        ov_preprocess_prepostprocessor_t ppp = new ov_preprocess_prepostprocessor_t();
        Native.check(ov_preprocess_prepostprocessor_create(model.handle(), ppp), "creating preprocessing");
        ov_preprocess_input_info_t input = new ov_preprocess_input_info_t();
        ov_preprocess_input_tensor_info_t tensorInfo = new ov_preprocess_input_tensor_info_t();
        ov_preprocess_input_model_info_t modelInfo = new ov_preprocess_input_model_info_t();
        ov_layout_t tensorLayout = layout("NHWC");
        ov_layout_t ownLayout = layout(modelLayout);
        try {
            Native.check(ov_preprocess_prepostprocessor_get_input_info_by_index(ppp, 0, input), "preprocessing input");
            Native.check(ov_preprocess_input_info_get_tensor_info(input, tensorInfo), "preprocessing tensor info");
            Native.check(ov_preprocess_input_tensor_info_set_element_type(tensorInfo, ElementType.U8.code()),
                    "setting the u8 input");
            Native.check(ov_preprocess_input_tensor_info_set_layout(tensorInfo, tensorLayout), "setting NHWC");
            Native.check(ov_preprocess_input_info_get_model_info(input, modelInfo), "preprocessing model info");
            Native.check(ov_preprocess_input_model_info_set_layout(modelInfo, ownLayout), "setting the model layout");
            ov_model_t built = new ov_model_t();
            Native.check(ov_preprocess_prepostprocessor_build(ppp, built), "building preprocessing");
            model.close();
            return new Model(built);
        } finally {
            ov_layout_free(tensorLayout);
            ov_layout_free(ownLayout);
            ov_preprocess_input_model_info_free(modelInfo);
            ov_preprocess_input_tensor_info_free(tensorInfo);
            ov_preprocess_input_info_free(input);
            ov_preprocess_prepostprocessor_free(ppp);
        }
    }

    private static ov_layout_t layout(String description) {
        ov_layout_t layout = new ov_layout_t();
        Native.check(ov_layout_create(description, layout), "creating layout " + description);
        return layout;
    }
}
