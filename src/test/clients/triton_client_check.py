"""Triton's own Python client (tritonclient.grpc) against ovserve's KServe v2 gRPC API.

Run by clients-check.sh against the packaged server serving test-models.json. Exits non-zero on the
first check that fails; prints one line per check.
"""
import sys

import numpy as np
import tritonclient.grpc as grpcclient
from tritonclient.utils import InferenceServerException, np_to_triton_dtype

from checks import check, fails_with, png


def status(code):
    """Accepts a tritonclient error with that gRPC status."""
    return lambda e: isinstance(e, InferenceServerException) and e.status() == code


client = grpcclient.InferenceServerClient(url=sys.argv[1])
check("server live", client.is_server_live())
check("server ready", client.is_server_ready())
check("model ready", client.is_model_ready("affine"))
ok, detail = fails_with(status("StatusCode.NOT_FOUND"), lambda: client.is_model_ready("nope"))
check("readiness of an unknown model is NOT_FOUND, as in OVMS", ok, detail)

metadata = client.get_model_metadata("affine", as_json=True)
check("metadata inputs", [(t["name"], t["datatype"], t["shape"]) for t in metadata["inputs"]] == [("x", "FP32", ["1", "4"])],
      metadata["inputs"])
check("metadata platform", metadata["platform"] == "OpenVINO", metadata["platform"])

x = grpcclient.InferInput("x", [1, 4], "FP32")
x.set_data_from_numpy(np.array([[1, 2, 3, 4]], dtype=np.float32))
result = client.infer("affine", [x], request_id="triton-1")
check("affine y = 3x + 1", result.as_numpy("y").tolist() == [[4, 7, 10, 13]], result.as_numpy("y"))
check("request id echoed", result.get_response().id == "triton-1", result.get_response().id)

image = grpcclient.InferInput("image", [1], "BYTES")
image.set_data_from_numpy(np.array([png(8, 8, (255, 128, 10))], dtype=np.object_))
means = client.infer("image", [image]).as_numpy("mean")
check("PNG decoded to BGR", means.flatten().tolist() == [10, 128, 255], means)

types = {"f32": np.float32, "f16": np.float16, "f64": np.float64, "i8": np.int8, "i16": np.int16,
         "i32": np.int32, "i64": np.int64, "u8": np.uint8, "u16": np.uint16, "u32": np.uint32,
         "u64": np.uint64, "bool": np.bool_}
inputs = []
for name, dtype in types.items():
    tensor = grpcclient.InferInput(name, [1, 4], np_to_triton_dtype(np.dtype(dtype)))
    tensor.set_data_from_numpy(np.ones((1, 4), dtype=dtype))
    inputs.append(tensor)
result = client.infer("dtypes", inputs)
for name in types:  # the model converts each input to f32 and adds 1
    out = result.as_numpy(name + "_out")
    check("dtypes " + name + " in, f32 out + 1", out.tolist() == [[2, 2, 2, 2]], out)

ok, detail = fails_with(status("StatusCode.NOT_FOUND"), lambda: client.infer("nope", [x]))
check("unknown model is NOT_FOUND", ok, detail)
wrong = grpcclient.InferInput("x", [1, 3], "FP32")
wrong.set_data_from_numpy(np.zeros((1, 3), dtype=np.float32))
ok, detail = fails_with(status("StatusCode.INVALID_ARGUMENT"), lambda: client.infer("affine", [wrong]))
check("wrong shape is INVALID_ARGUMENT", ok, detail)
check("still serves", client.infer("affine", [x]).as_numpy("y").tolist() == [[4, 7, 10, 13]])
