"""The Gemini models this key may call, as the service lists them (`GET /{version}/models`, through the SDK),
with the methods each supports (bidiGenerateContent for Live, generateContent for text)."""

import httpx2
from google.genai import errors

from ..offered import ModelListError, Offered
from .config import GeminiConfig
from .text import rest_client

PAGE_SIZE = 1000  # the service's largest page


async def offered_models(config: GeminiConfig, *, timeout_seconds: float = 30.0) -> dict[str, Offered]:
    """Every model the service lists, by name without its "models/" prefix. Raises ModelListError."""
    client = rest_client(config, timeout_seconds=timeout_seconds)
    offered: dict[str, Offered] = {}
    try:
        pager = await client.aio.models.list(config={"page_size": PAGE_SIZE, "query_base": True})
        async for model in pager:
            name = (model.name or "").removeprefix("models/")
            if name:
                offered[name] = Offered(name, methods=frozenset(model.supported_actions or ()))
    except errors.APIError as exc:
        raise ModelListError(
            f"Gemini refused to list its models ({exc.code} {exc.status or ''}: {exc.message or exc.details})"
        ) from exc
    except httpx2.TransportError as exc:
        raise ModelListError(f"Gemini could not be reached to list its models ({exc!r})") from exc
    return offered
