"""The KServe Python SDK's own REST client (kserve.InferenceRESTClient, Open Inference Protocol v2) against
ovserve's KServe REST health: it reads {"live": true} and {"ready": true} from the bodies.

Run by clients-check.sh against the packaged server serving test-models.json:
    kserve_client_check.py http HOST:PORT
Exits non-zero on the first check that fails; prints one line per check.
"""
import asyncio
import sys

from kserve import InferenceRESTClient, RESTConfig

from checks import check


async def main(url):
    client = InferenceRESTClient(RESTConfig(protocol="v2", timeout=30))
    try:
        check("is_server_live", await client.is_server_live(url) is True)
        check("is_server_ready", await client.is_server_ready(url) is True)
        check("is_model_ready(affine)", await client.is_model_ready(url, "affine") is True)
    finally:
        await client.close()


asyncio.run(main("http://" + sys.argv[2]))
