"""Gemini Live's settings, as the provider is handed them (config/settings/tutor.py builds them)."""

import ssl
from dataclasses import dataclass
from typing import Literal

ActivityDetection = Literal["app", "service"]


@dataclass(frozen=True)
class GeminiConfig:
    api_key: str = ""
    live_model: str = "gemini-3.8-live"  # a lesson may pick another (docs/providers/gemini.md)
    text_model: str = "gemini-3.5-flash-lite"  # summaries and reports (tutor/providers/catalog.py)
    api_version: str = "v1beta"  # SDK 3.x defaults to v1, where Live is unconfirmed: pin it
    base_url: str | None = None  # None: Google's endpoint; tests point it at the fake
    ssl_context: ssl.SSLContext | None = None  # tests trust the fake's certificate with one of these,
    ca_file: str | None = None  # or with its CA file
    audio_chunk_ms: int = 40  # microphone audio batched to this before a send (docs/providers/gemini.md)
    default_voice: str = "Puck"
    # Who decides when the student's turn ends: the app (tutor/turntaking; the service's automatic activity
    # detection disabled, activityStart/activityEnd sent) or the service's own detection (GEMINI_ACTIVITY_DETECTION).
    activity_detection: ActivityDetection = "app"
    silence_duration_ms: int | None = None  # the service's detection only; None: by the lesson's patience
    greet_first: bool = True  # send JOIN_CUE on a new lesson
    connect_timeout: float = 15.0
    # The service's pongs can take 8-30 s; websockets' default 20 s timeout would close healthy sessions.
    ping_interval: float = 30.0
    ping_timeout: float = 60.0

    def __post_init__(self) -> None:
        if self.activity_detection not in ("app", "service"):
            raise ValueError(f"GEMINI_ACTIVITY_DETECTION must be app or service, not {self.activity_detection!r}")

    @property
    def app_turns(self) -> bool:
        return self.activity_detection == "app"

    def tls_context(self) -> ssl.SSLContext | None:
        if self.ssl_context is not None:
            return self.ssl_context
        return ssl.create_default_context(cafile=self.ca_file) if self.ca_file else None
