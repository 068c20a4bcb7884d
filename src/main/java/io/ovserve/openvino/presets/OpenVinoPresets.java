package io.ovserve.openvino.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP presets over the OpenVINO C API. The build parses {@code openvino/c/openvino.h} into the
 * {@code io.ovserve.openvino.binding} package and compiles its JNI library. Libraries are listed
 * dependencies first, so that each one finds the previous ones beside it once JavaCPP has
 * extracted them; the CPU plugin and the IR/ONNX frontends must sit beside libopenvino because
 * OpenVINO looks for them in its own directory.
 */
@Properties(
        target = "io.ovserve.openvino.binding",
        global = "io.ovserve.openvino.binding.global.OpenVinoC",
        value = @Platform(
                value = "linux-x86_64",
                compiler = "cpp11",
                include = {
                    "openvino/c/ov_common.h",
                    "openvino/c/ov_dimension.h",
                    "openvino/c/ov_rank.h",
                    "openvino/c/ov_shape.h",
                    "openvino/c/ov_partial_shape.h",
                    "openvino/c/ov_layout.h",
                    "openvino/c/ov_tensor.h",
                    "openvino/c/ov_node.h",
                    "openvino/c/ov_model.h",
                    "openvino/c/ov_prepostprocess.h",
                    "openvino/c/ov_property.h",
                    "openvino/c/ov_infer_request.h",
                    "openvino/c/ov_remote_context.h",
                    "openvino/c/ov_compiled_model.h",
                    "openvino/c/ov_core.h",
                },
                link = "openvino_c@.2641",
                preload = {
                    "hwloc@.15",
                    "tbb@.12",
                    "tbbmalloc@.2",
                    "tbbbind_2_5@.3",
                    "openvino@.2641",
                    "openvino_ir_frontend@.2641",
                    "openvino_onnx_frontend@.2641",
                    "openvino_intel_cpu_plugin",
                }))
public class OpenVinoPresets implements InfoMapper {

    @Override
    public void map(InfoMap infoMap) {
        infoMap.put(new Info("OPENVINO_C_API_EXTERN", "OV_NODISCARD", "OPENVINO_C_API_CALLBACK")
                        .cppTypes().annotations())
                .put(new Info("OPENVINO_C_API").cppText("#define OPENVINO_C_API(...) __VA_ARGS__"))
                .put(new Info("OPENVINO_C_VAR").cppText("#define OPENVINO_C_VAR(...) __VA_ARGS__"))
                .put(new Info("OPENVINO_ENABLE_UNICODE_PATH_SUPPORT").define(false));
    }
}
