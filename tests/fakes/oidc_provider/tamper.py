"""A provider gone wrong, on demand: while the file `tamper` exists in its data folder, the token endpoint's
id_token carries a signature that is not the one its key made (one byte changed)."""

import base64
import json

from django.conf import settings


class TamperMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.rstrip("/") != "/o/token" or not (settings.DATA / "tamper").exists():
            return response
        body = json.loads(response.content)
        if "id_token" in body:
            header, payload, signature = body["id_token"].split(".")
            raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
            raw[len(raw) // 2] ^= 0xFF
            body["id_token"] = ".".join((header, payload, base64.urlsafe_b64encode(raw).rstrip(b"=").decode()))
            response.content = json.dumps(body).encode()
            response["Content-Length"] = str(len(response.content))
        return response
