"""The provider contract: what the runner needs of Gemini Live, OpenAI Realtime and the offline tutor."""

from collections.abc import AsyncIterator
from typing import Protocol

from ..brief import SessionSetup
from ..events import ProviderEvent


class ProviderConnectError(Exception):
    """connect() failed; `retryable` is False for what a retry cannot fix (bad key, bad request)."""

    def __init__(self, code: str, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable


class LiveConnection(Protocol):
    """One open connection. Sends may be called from any task; events() has one reader.

    events() ends when the connection closes. An abnormal end is announced by a ProviderError event
    first; an end without one, not caused by close(), counts as a dropped connection.
    """

    async def send_audio(self, pcm16_16k: bytes) -> None: ...

    async def send_text(self, text: str) -> None: ...

    async def send_image(self, data: bytes, mime: str) -> None:
        """A picture the student chose to show: the tutor answers it."""

    async def send_video_frame(self, data: bytes, mime: str) -> None:
        """A frame of the camera or screen the student shares: something to see when it matters, not a
        question (Gemini takes it as video; OpenAI keeps the newest for the student's next turn)."""

    async def send_tool_result(self, call_id: str, name: str, result: dict) -> None: ...

    async def end_audio_stream(self) -> None:
        """The microphone was switched off: flush what the provider buffered."""

    async def playback_heard(self, played_ms: int) -> None:
        """The student heard only `played_ms` of the interrupted tutor turn (OpenAI truncates to it)."""

    async def activity_start(self, *, interrupting: bool) -> None:
        """The app heard the student begin a turn (`interrupting`: over the tutor, which is to stop). Only a
        provider whose `app_turns` is set acts on it; the others detect turns themselves."""

    async def activity_end(self) -> None:
        """The app decided the student's turn is over: the tutor answers now (`app_turns` only)."""

    async def nudge(self, instruction: str) -> None:
        """An instruction to the tutor that is not the student's turn (offer help to a stuck student): it
        answers it at once, and nothing of it is shown or stored as said."""

    def events(self) -> AsyncIterator[ProviderEvent]: ...

    async def close(self) -> None: ...


class LiveProvider(Protocol):
    name: str
    input_rate: int  # the rate the browser sends: 16 kHz for every provider (OpenAI resamples)
    output_rate: int
    # A connection resumed from a handle has everything delivered before the handle was issued, and
    # takes up from there by itself (the offline tutor); otherwise (Gemini) what was not answered is
    # given again after a resume.
    resumption_keeps_input: bool
    # The app decides when the student's turn starts and ends (tutor/turntaking, with activity_start/_end);
    # False: the service's own detection does (a setting), or the provider's own (the offline tutor).
    app_turns: bool

    async def connect(self, setup: SessionSetup) -> LiveConnection:
        """Open a connection; raises ProviderConnectError."""
        ...
