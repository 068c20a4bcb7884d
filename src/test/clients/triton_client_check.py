"""Triton's own Python client against ovserve's KServe v2 API, over gRPC (tritonclient.grpc) or HTTP
(tritonclient.http, with its binary data extension and in plain JSON).

Run by clients-check.sh against the packaged server serving test-models.json:
    triton_client_check.py grpc|http HOST:PORT [TLS_DIR]
With TLS_DIR (the TLS pass: the server serves TLS and requires a client certificate), a plaintext client is
refused first, then the checks run over TLS: ssl=True with the CA bundle, client key and certificate chain
(gRPC), or ssl=True with those files as ssl_options and gevent's default context, which checks the name (HTTP).
Exits non-zero on the first check that fails; prints one line per check.
"""
import sys

import numpy as np
from tritonclient.utils import InferenceServerException, np_to_triton_dtype

from checks import check, fails_with, png, tls_files

protocol, url, tls = sys.argv[1], sys.argv[2], tls_files(sys.argv)
if protocol == "grpc":
    import tritonclient.grpc as triton
    CODES = {"NOT_FOUND": "StatusCode.NOT_FOUND", "INVALID_ARGUMENT": "StatusCode.INVALID_ARGUMENT",
             "UNAVAILABLE": "StatusCode.UNAVAILABLE"}
    security = {} if tls is None else {"ssl": True, "root_certificates": tls.ca, "private_key": tls.key,
                                       "certificate_chain": tls.cert}
else:
    import gevent.ssl
    import tritonclient.http as triton
    CODES = {"NOT_FOUND": "404", "INVALID_ARGUMENT": "400"}
    security = {} if tls is None else {"ssl": True, "ssl_context_factory": gevent.ssl.create_default_context,
                                       "ssl_options": {"ca_certs": tls.ca, "certfile": tls.cert,
                                                       "keyfile": tls.key}}


def status(code):
    """Accepts a tritonclient error with that status (gRPC code, or HTTP status over HTTP)."""
    return lambda e: isinstance(e, InferenceServerException) and e.status() == CODES[code]


def request_id(result):
    response = result.get_response()
    return response["id"] if protocol == "http" else response.id


if tls is not None:  # over gRPC UNAVAILABLE; over HTTP the connection is closed under the client
    refused = status("UNAVAILABLE") if protocol == "grpc" else lambda e: not isinstance(e, InferenceServerException)
    ok, detail = fails_with(refused, lambda: triton.InferenceServerClient(url=url).is_server_live())
    check("a plaintext client is refused by the TLS port", ok, detail)
client = triton.InferenceServerClient(url=url, **security)
check("server live", client.is_server_live())
check("server ready", client.is_server_ready())
check("model ready", client.is_model_ready("affine"))
if protocol == "grpc":
    ok, detail = fails_with(status("NOT_FOUND"), lambda: client.is_model_ready("nope"))
    check("readiness of an unknown model is NOT_FOUND, as in OVMS", ok, detail)
else:  # the HTTP client reads any status but 200 as not ready
    check("an unknown model is not ready", not client.is_model_ready("nope"))

metadata = client.get_model_metadata("affine", **({"as_json": True} if protocol == "grpc" else {}))
inputs = [(t["name"], t["datatype"], [int(d) for d in t["shape"]]) for t in metadata["inputs"]]
check("metadata inputs", inputs == [("x", "FP32", [1, 4])], metadata["inputs"])
check("metadata platform", metadata["platform"] == "OpenVINO", metadata["platform"])

x = triton.InferInput("x", [1, 4], "FP32")
x.set_data_from_numpy(np.array([[1, 2, 3, 4]], dtype=np.float32))
result = client.infer("affine", [x], request_id="triton-1")
check("affine y = 3x + 1", result.as_numpy("y").tolist() == [[4, 7, 10, 13]], result.as_numpy("y"))
check("request id echoed", request_id(result) == "triton-1", request_id(result))
if protocol == "http":  # the same in plain JSON, both ways
    as_json = triton.InferInput("x", [1, 4], "FP32")
    as_json.set_data_from_numpy(np.array([[1, 2, 3, 4]], dtype=np.float32), binary_data=False)
    y = client.infer("affine", [as_json], outputs=[triton.InferRequestedOutput("y", binary_data=False)])
    check("affine in JSON, y in JSON", y.as_numpy("y").tolist() == [[4, 7, 10, 13]], y.get_response())
    for algorithm in ("gzip", "deflate"):
        y = client.infer("affine", [x], request_compression_algorithm=algorithm)
        check("request body in " + algorithm, y.as_numpy("y").tolist() == [[4, 7, 10, 13]], y.as_numpy("y"))

image = triton.InferInput("image", [1], "BYTES")
image.set_data_from_numpy(np.array([png(8, 8, (255, 128, 10))], dtype=np.object_))
means = client.infer("image", [image]).as_numpy("mean")
check("PNG decoded to BGR", means.flatten().tolist() == [10, 128, 255], means)

types = {"f32": np.float32, "f16": np.float16, "f64": np.float64, "i8": np.int8, "i16": np.int16,
         "i32": np.int32, "i64": np.int64, "u8": np.uint8, "u16": np.uint16, "u32": np.uint32,
         "u64": np.uint64, "bool": np.bool_}
inputs = []
for name, dtype in types.items():
    tensor = triton.InferInput(name, [1, 4], np_to_triton_dtype(np.dtype(dtype)))
    tensor.set_data_from_numpy(np.ones((1, 4), dtype=dtype))
    inputs.append(tensor)
result = client.infer("dtypes", inputs)
for name in types:  # the model converts each input to f32 and adds 1
    out = result.as_numpy(name + "_out")
    check("dtypes " + name + " in, f32 out + 1", out.tolist() == [[2, 2, 2, 2]], out)

ok, detail = fails_with(status("NOT_FOUND"), lambda: client.infer("nope", [x]))
check("unknown model is NOT_FOUND", ok, detail)
wrong = triton.InferInput("x", [1, 3], "FP32")
wrong.set_data_from_numpy(np.zeros((1, 3), dtype=np.float32))
ok, detail = fails_with(status("INVALID_ARGUMENT"), lambda: client.infer("affine", [wrong]))
check("wrong shape is INVALID_ARGUMENT", ok, detail)
check("still serves", client.infer("affine", [x]).as_numpy("y").tolist() == [[4, 7, 10, 13]])
