"""The OpenAI models this key may call, as the service lists them (`GET {base}/models`), with the shutdown date
it announces for each (`shutdown_date`, YYYY-MM-DD or null: developers.openai.com/api/docs/deprecations)."""

import asyncio
import datetime as dt
import json
import urllib.error
import urllib.request
from typing import Any

from ..offered import ModelListError, Offered
from .config import OpenAIConfig


async def offered_models(config: OpenAIConfig, *, timeout_seconds: float = 30.0) -> dict[str, Offered]:
    """Every model the service lists, by id. Raises ModelListError."""
    body = await asyncio.to_thread(_get, config, timeout_seconds)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise ModelListError("OpenAI answered the list of models with something that is not a list.")
    offered = {}
    for entry in data:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            offered[entry["id"]] = Offered(entry["id"], shutdown=_date(entry.get("shutdown_date")))
    return offered


def _get(config: OpenAIConfig, timeout: float) -> Any:
    url = config.base_url.rstrip("/") + "/models"
    request = urllib.request.Request(url, headers=config.auth_headers(), method="GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=config.tls_context()) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise ModelListError(f"OpenAI refused to list its models (HTTP {exc.code}): {_message(exc.read())}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ModelListError(f"Could not reach OpenAI at {url} to list its models: {exc}") from exc
    except ValueError as exc:
        raise ModelListError(f"OpenAI answered the list of models with something other than JSON: {exc}") from exc


def _message(body: bytes) -> str:
    try:
        return str(json.loads(body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return body[:200].decode(errors="replace")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
