"""OpenAI Realtime's settings, as the provider is handed them (config/settings/tutor.py builds them)."""

import ssl
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode, urlsplit

DEFAULT_BASE_URL = "https://api.openai.com/v1"

# "app": the app decides the student's turns (tutor/turntaking; the service's turn detection off, the input
# committed and a response asked for at each turn's end); the other two are the service's own detection.
TurnDetection = Literal["app", "semantic_vad", "server_vad"]
TURN_DETECTIONS: tuple[TurnDetection, ...] = ("app", "semantic_vad", "server_vad")
Eagerness = Literal["low", "medium", "high", "auto"]
NoiseReduction = Literal["near_field", "far_field"]
# How the key is sent: OpenAI and Azure Entra ID tokens as `Authorization: Bearer`, an Azure resource key
# as `api-key` (Azure refuses that key as a Bearer token, and OpenAI knows no `api-key` header).
Auth = Literal["bearer", "api-key"]
AUTHS: tuple[Auth, ...] = ("bearer", "api-key")

_WS_SCHEMES = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}


@dataclass(frozen=True, slots=True)
class OpenAIConfig:
    """The provider's settings (OPENAI_* in config/settings/tutor.py).

    `base_url` is the REST base the SDK uses: the Realtime socket is derived from it, so Azure
    (`https://<resource>.openai.azure.com/openai/v1`, the model being the deployment name) and
    compatible self-hosted servers (`http://host:port/v1`) work by changing this one value.
    """

    api_key: str = ""
    auth: Auth = "bearer"
    base_url: str = DEFAULT_BASE_URL
    realtime_model: str = "gpt-realtime-2.1"  # a lesson may pick another
    text_model: str = "gpt-6-luna"  # summaries and reports
    default_voice: str = "marin"
    turn_detection: TurnDetection = "app"
    transcription_model: str = "gpt-transcribe"  # billed by the minute
    eagerness: Eagerness | None = None  # semantic_vad only; None: by the lesson's patience (tutor/patience.py)
    vad_threshold: float = 0.5  # server_vad only, as are the two below
    vad_prefix_padding_ms: int = 300
    vad_silence_ms: int | None = None  # None: by the lesson's patience
    noise_reduction: NoiseReduction | None = "near_field"  # a headset or laptop microphone
    ssl_context: ssl.SSLContext | None = None  # None: the system's trust store; tests trust their fake with one,
    ca_file: str | None = None  # or a private CA's file (a self-hosted compatible server, a proxy, the bench)
    connect_timeout: float = 10.0
    expiry_warning: float = 30.0  # seconds before the session's end to ask for a reconnect; 0: never

    def __post_init__(self) -> None:
        if self.auth not in AUTHS:
            raise ValueError(f"OPENAI_AUTH must be one of {', '.join(AUTHS)}, not {self.auth!r}")
        if self.turn_detection not in TURN_DETECTIONS:
            raise ValueError(
                f"OPENAI_TURN_DETECTION must be one of {', '.join(TURN_DETECTIONS)}, not {self.turn_detection!r}"
            )

    @property
    def app_turns(self) -> bool:
        return self.turn_detection == "app"

    def auth_headers(self) -> dict[str, str]:
        """The one place that decides how the key travels, for the Realtime socket and the text model alike."""
        if self.auth == "api-key":
            return {"api-key": self.api_key}
        return {"Authorization": f"Bearer {self.api_key}"}

    def tls_context(self) -> ssl.SSLContext | None:
        if self.ssl_context is not None:
            return self.ssl_context
        return ssl.create_default_context(cafile=self.ca_file) if self.ca_file else None

    def realtime_url(self, model: str) -> str:
        """http→ws and https→wss, plus `/realtime?model=…`, as the official SDK derives it."""
        parts = urlsplit(self.base_url.rstrip("/"))
        scheme = _WS_SCHEMES.get(parts.scheme.lower())
        if scheme is None or not parts.netloc:
            raise ValueError(f"OPENAI_BASE_URL must be an http(s) URL, not {self.base_url!r}")
        return f"{scheme}://{parts.netloc}{parts.path}/realtime?{urlencode({'model': model})}"
