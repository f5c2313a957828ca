"""The fake Gemini REST service and the Live fake's host list models as the service does and refuse a shut-down
text model with 404 NOT_FOUND; driven with urllib, not the SDK, so a bug in one cannot hide a bug in the other."""

import asyncio
import json
import ssl
import urllib.error
import urllib.request

import pytest

from .gemini_live import FakeGeminiLive
from .gemini_rest import FakeGeminiRest, FakeRestOptions
from .tls import TestCertificate, make_certificate


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> TestCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def call(url: str, certificate: TestCertificate, body: dict | None = None, key: str = "test-key") -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, headers={"x-goog-api-key": key, "Content-Type": "application/json"}
    )
    context = ssl.create_default_context(cafile=str(certificate.cert_file))
    try:
        with urllib.request.urlopen(request, timeout=5, context=context) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_shut_down_text_model_is_404_not_found_as_the_service_answers(certificate):
    body = {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}
    with FakeGeminiRest(certificate) as fake:
        status, answer = call(f"{fake.url}/v1beta/models/gemini-2.5-flash:generateContent", certificate, body)
        offered, _ = call(f"{fake.url}/v1beta/models/gemini-3.5-flash-lite:generateContent", certificate, body)
    assert status == 404 and answer["error"]["status"] == "NOT_FOUND"
    assert answer["error"]["message"].startswith("models/gemini-2.5-flash is not found for API version v1beta")
    assert offered == 200 and fake.billed_tokens > 0 and len(fake.calls) == 1


def test_a_response_schema_gets_json_of_it_and_a_bad_answer_mode_does_not(certificate):
    schema = {"type": "OBJECT", "properties": {"summary": {"type": "STRING"}}}
    body = {
        "contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
        "generationConfig": {"responseMimeType": "application/json", "responseSchema": schema},
    }
    url = "/v1beta/models/gemini-3.5-flash-lite:generateContent"
    with FakeGeminiRest(certificate, FakeRestOptions(reply="Bien.")) as fake:
        _, good = call(fake.url + url, certificate, body)
    with FakeGeminiRest(certificate, FakeRestOptions(reply="Bien.", answer="prose")) as prose:
        _, bad = call(prose.url + url, certificate, body)
    assert json.loads(good["candidates"][0]["content"]["parts"][0]["text"]) == {"summary": "Bien."}
    assert bad["candidates"][0]["content"]["parts"][0]["text"] == "Bien." and bad["usageMetadata"]["totalTokenCount"]


@pytest.mark.parametrize("where", ["rest", "live"])
async def test_the_list_of_models_pages_and_leaves_out_what_is_shut_down(certificate, where):
    if where == "rest":
        with FakeGeminiRest(certificate, FakeRestOptions(live_models=frozenset({"gemini-3.8-live"}))) as fake:
            pages = _pages(fake.url, certificate)
    else:
        async with FakeGeminiLive(certificate) as fake:  # it serves on this event loop: ask from a thread
            pages = await asyncio.to_thread(_pages, fake.url, certificate)
    models = {m["name"]: m["supportedGenerationMethods"] for page in pages for m in page["models"]}
    assert "bidiGenerateContent" in models["models/gemini-3.8-live"]
    assert "generateContent" in models["models/gemini-3.5-flash-lite"]
    assert "models/gemini-2.5-flash" not in models and len(pages) > 1


def _pages(url: str, certificate: TestCertificate) -> list[dict]:
    pages, token = [], ""
    while True:
        status, page = call(f"{url}/v1beta/models?pageSize=2&pageToken={token}", certificate)
        assert status == 200
        pages.append(page)
        if not (token := page.get("nextPageToken", "")):
            return pages
