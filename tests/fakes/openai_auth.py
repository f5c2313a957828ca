"""How OpenAI and Azure OpenAI take the key, for the fakes of both endpoints (the Realtime socket and chat
completions): OpenAI wants `Authorization: Bearer <key>`; an Azure resource configured for keys wants
`api-key: <key>` and refuses the same key sent as a Bearer token (Bearer there is for Entra ID tokens).
Each refusal is the HTTP 401 and error body the real service answers with.
"""

from typing import Any, Literal, Protocol

Auth = Literal["bearer", "api-key"]

NO_BEARER_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
    "auth (i.e. Authorization: Bearer YOUR_KEY)."
)
AZURE_BAD_KEY = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an "
    "active subscription and use a correct regional API endpoint for your resource."
)
AZURE_BAD_TOKEN = (
    "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), "
    "or have expired."
)


class Headers(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...


def refusal(headers: Headers, *, auth: Auth, api_key: str, offered_key: str | None = None) -> dict[str, Any] | None:
    """None if the request carries the key the way `auth` wants it, else the 401's JSON body.
    `offered_key`: a key given another way OpenAI accepts (the browser's `openai-insecure-api-key.` subprotocol)."""
    authorization = headers.get("Authorization", "") or ""
    bearer = authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else None
    if auth == "api-key":
        if headers.get("api-key") == api_key:
            return None
        return _azure(AZURE_BAD_TOKEN if bearer is not None else AZURE_BAD_KEY)
    key = bearer if bearer is not None else offered_key
    if key is None:
        return _openai(NO_BEARER_KEY, None)
    if key != api_key:
        masked = f"{key[:3]}{'*' * max(0, len(key) - 7)}{key[-4:]}"
        return _openai(f"Incorrect API key provided: {masked}.", "invalid_api_key")
    return None


def _openai(message: str, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}


def _azure(message: str) -> dict[str, Any]:
    return {"error": {"code": "401", "message": message}}
