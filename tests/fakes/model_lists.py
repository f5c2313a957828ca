"""What the fake services list as their models (Gemini's `GET /{version}/models`, OpenAI's `GET /v1/models`), and
what they no longer offer. Written out here on purpose, apart from the product's catalog: a fake that read the
catalog could not catch a wrong catalog. Read against the vendors' pages on 2026-12-07 (docs/costs.md)."""

import json
from collections.abc import Iterable
from typing import Any

# Gemini (ai.google.dev/gemini-api/docs/deprecations): text models offered, and the 2.5 ones it shut down.
GEMINI_TEXT_MODELS = frozenset({"gemini-3.5-flash-lite", "gemini-3.5-flash", "gemini-3.6-flash", "gemini-3.8-flash"})
GEMINI_SHUT_DOWN_TEXT_MODELS = frozenset({"gemini-2.5-flash", "gemini-2.5-pro"})
GEMINI_TEXT_METHODS = ("generateContent", "countTokens", "createCachedContent", "batchGenerateContent")
GEMINI_LIVE_METHODS = ("bidiGenerateContent",)
PAGE_SIZE = 50  # the service's default page

# OpenAI's GET /v1/models, with each model's announced shutdown (openai 3.63.0's docstrings): chat, Realtime and
# transcription models; the gpt-4o realtime previews are gone from it.
OPENAI_MODELS: dict[str, str | None] = {
    "gpt-6-luna": None,
    "gpt-6-sol": None,
    "gpt-5.6-luna": None,
    "gpt-4.1-mini": "2027-01-14",
    "gpt-4.1-mini-2025-04-14": "2027-01-14",
    "gpt-realtime": "2027-01-20",
    "gpt-realtime-2025-08-28": "2027-01-20",
    "gpt-realtime-mini": "2027-01-20",
    "gpt-realtime-mini-2025-12-15": "2027-01-20",
    "gpt-realtime-1.5": None,
    "gpt-realtime-2": None,
    "gpt-realtime-2.1": None,
    "gpt-realtime-2.1-mini": None,
    "gpt-transcribe": None,
    "gpt-live-transcribe": None,
    "gpt-realtime-whisper": None,
    "gpt-4o-transcribe": "2027-02-26",
    "gpt-4o-mini-transcribe": "2027-02-26",
    "whisper-1": "2027-02-26",
}


def gemini_listing(
    live: Iterable[str], *, shut_down: Iterable[str] = (), page_size: int | None = None, page_token: str = ""
) -> dict[str, Any]:
    """One page of `models.list`, camelCase as the service sends it: the Live models given and the text models,
    less those shut down; `nextPageToken` while more follow."""
    gone = set(shut_down)
    models = [(name, GEMINI_LIVE_METHODS) for name in sorted(set(live) - gone)]
    models += [(name, GEMINI_TEXT_METHODS) for name in sorted(GEMINI_TEXT_MODELS - gone)]
    start = int(page_token or 0)
    size = page_size or PAGE_SIZE
    page = [
        {
            "name": f"models/{name}",
            "version": "001",
            "displayName": name,
            "inputTokenLimit": 1_048_576 if methods == GEMINI_TEXT_METHODS else 131_072,
            "outputTokenLimit": 65_536,
            "supportedGenerationMethods": list(methods),
        }
        for name, methods in models[start : start + size]
    ]
    listing: dict[str, Any] = {"models": page}
    if start + size < len(models):
        listing["nextPageToken"] = str(start + size)
    return listing


def openai_listing(*, shut_down: Iterable[str] = ()) -> dict[str, Any]:
    gone = set(shut_down)
    return {
        "object": "list",
        "data": [
            {"id": name, "object": "model", "created": 1_760_000_000, "owned_by": "system", "shutdown_date": date}
            for name, date in OPENAI_MODELS.items()
            if name not in gone
        ],
    }


def json_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()
