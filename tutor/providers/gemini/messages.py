"""Gemini Live server messages and close codes, translated into the engine's events and errors.

Messages are read off the socket here, not through the SDK's `receive()`: the model's audio (nearly
every message) is decoded straight from its JSON, and anything else is parsed exactly as SDK 3.6.1's
`AsyncSession._receive` does (its converter, then its pydantic model), so the events are the same
either way (tests/tutor/providers/gemini/test_messages.py compares them). Building the SDK's models
for each audio chunk was a sixth of the live path's time (docs/performance.md).
"""

import binascii
import json

from google.genai import _live_converters, errors, types

from tutor.events import (
    AudioOut,
    GoingAway,
    Interrupted,
    ProviderError,
    ProviderEvent,
    Resumable,
    SpeechStarted,
    TokenUsage,
    ToolCall,
    TranscriptDelta,
    TranscriptFinal,
    TurnComplete,
    Usage,
)

from ..base import ProviderConnectError

NOT_RETRYABLE = (1007, 1008)
URLSAFE_TO_STANDARD = bytes.maketrans(b"-_", b"+/")  # the service may send either alphabet; the SDK takes both
_SDK_DEFAULTS = types.LiveServerMessage().model_dump()  # what `_receive` passes along with each message


def sdk_message(response: dict) -> types.LiveServerMessage:
    """A decoded server message as the SDK's model, made as `AsyncSession._receive` makes it (an error
    payload the converter does not know raises APIError, as there)."""
    converted = _live_converters._LiveServerMessage_from_mldev(response)
    if not converted and response:
        errors.APIError.raise_error(response.get("code"), response, None)
    return types.LiveServerMessage._from_response(response=converted, kwargs=_SDK_DEFAULTS)


def model_audio(response: dict) -> list[bytes] | None:
    """The PCM of a message that carries nothing but model audio, or None for any other message."""
    if len(response) != 1 or not isinstance(content := response.get("serverContent"), dict) or len(content) != 1:
        return None
    turn = content.get("modelTurn")
    if not isinstance(turn, dict) or not isinstance(parts := turn.get("parts"), list) or set(turn) - {"parts", "role"}:
        return None
    chunks = []
    for part in parts:
        blob = part.get("inlineData") if isinstance(part, dict) and len(part) == 1 else None
        data = blob.get("data") if isinstance(blob, dict) else None
        if not isinstance(data, str):
            return None
        try:
            chunks.append(binascii.a2b_base64(data.encode("ascii").translate(URLSAFE_TO_STANDARD), strict_mode=True))
        except (binascii.Error, UnicodeEncodeError):
            return None  # let the SDK's parser decide what it is
    return chunks


class MessageTranslator:
    """Keeps the student's transcript fragments, because Gemini never sends the whole text.

    The student's turn is final when the service marks a fragment `finished`, or else (it often leaves
    `finished` unset) when the tutor's turn completes or is interrupted: the transcript can trail the
    answer it prompted, and its last words still belong to the student's turn, before the tutor's. For
    the same reason a reply to speech no fragment has arrived for yet first reserves the student's turn
    (SpeechStarted), so the transcript that follows takes its place before the reply.
    """

    def __init__(self) -> None:
        self._student: list[str] | None = None  # fragments of the open student turn
        self._replying = False  # the model's output of this turn has begun
        self._spoke = False  # a student turn was opened since the last reply began
        self._prompted = False  # the next reply answers something sent as text, a picture or a tool result

    def prompted(self) -> None:
        """The connection sent what the next reply will answer (typed text, a cue, a picture, a tool result the
        model is to speak about): that reply answers no speech, so it reserves no student turn."""
        self._prompted = True

    def translate_raw(self, raw: bytes | str) -> list[ProviderEvent]:
        """One message as it came off the socket (raises ValueError for one that is not JSON, as the SDK)."""
        try:
            response = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            raise ValueError(f"Failed to parse response: {raw[:200]!r}") from None
        chunks = model_audio(response) if isinstance(response, dict) else None
        if chunks is None:
            return self.translate(sdk_message(response))
        events: list[ProviderEvent] = []
        if any(chunks):
            self._reply_started(events)
        events.extend(AudioOut(pcm) for pcm in chunks if pcm)
        return events

    def translate(self, message: types.LiveServerMessage) -> list[ProviderEvent]:
        """One message may carry several things at once (3.1 bundles them): they are taken in turn order."""
        events: list[ProviderEvent] = []
        content = message.server_content
        if content is not None:
            if content.interrupted:
                events.append(Interrupted())
                self._student_over(events)  # what the student says from now on is a new turn
            if content.input_transcription is not None:
                self._student_fragment(content.input_transcription, events)
            if content.model_turn is not None:
                for part in content.model_turn.parts or ():
                    if part.inline_data is not None and part.inline_data.data:
                        self._reply_started(events)
                        events.append(AudioOut(part.inline_data.data))
            if content.output_transcription is not None and content.output_transcription.text:
                self._reply_started(events)
                events.append(TranscriptDelta("tutor", content.output_transcription.text))
        if message.tool_call is not None:
            self._reply_started(events)
            for call in message.tool_call.function_calls or ():
                events.append(ToolCall(call_id=call.id or "", name=call.name or "", arguments=dict(call.args or {})))
        if content is not None and content.turn_complete:
            self._student_over(events)
            if interaction_over(content):
                self._replying = False
                events.append(TurnComplete())
        if message.usage_metadata is not None:
            events.append(Usage(token_usage(message.usage_metadata)))
        update = message.session_resumption_update
        if update is not None and update.resumable and update.new_handle:
            events.append(Resumable(update.new_handle))
        if message.go_away is not None:
            events.append(GoingAway(parse_duration(message.go_away.time_left)))
        return events

    def _student_fragment(self, transcription: types.Transcription, events: list[ProviderEvent]) -> None:
        if transcription.text:
            if self._student is None:
                self._student, self._spoke = [], True
                events.append(SpeechStarted())
            self._student.append(transcription.text)
            events.append(TranscriptDelta("student", transcription.text))
        if transcription.finished:
            self._student_over(events)

    def _reply_started(self, events: list[ProviderEvent]) -> None:
        """The first output of the model's turn. Unless it answers what was sent as text, it answers speech:
        if no student turn was opened for that speech, one is reserved now for its late transcript (an
        untranscribed one stays empty, as the student's unheard turn)."""
        if self._replying:
            return
        self._replying = True
        if self._student is None and not self._spoke and not self._prompted:
            self._student = []
            events.append(SpeechStarted())
        self._spoke = self._prompted = False

    def _student_over(self, events: list[ProviderEvent]) -> None:
        if self._student is not None:
            events.append(TranscriptFinal("student", "".join(self._student).strip()))
            self._student = None


def interaction_over(content: types.LiveServerContent) -> bool:
    """Whether a turnComplete ends the tutor's turn, as the SDK's `receive()` decides it: a model that reasons in
    the background (3.8 extended thinking) says `interactionStatus` IN_PROGRESS with the turnComplete of what it
    said so far, and only IDLE ends the turn; without a status, turnComplete does."""
    status = content.interaction_status
    if status is not None and status != types.InteractionStatus.INTERACTION_STATUS_UNSPECIFIED:
        return status == types.InteractionStatus.IDLE
    return True


def token_usage(usage: types.UsageMetadata) -> TokenUsage:
    """By modality from the details; what they leave out of the prompt is text (instructions, tool
    results), what they leave out of the response is audio (native-audio models speak), and thinking
    is billed as text output."""
    prompt = _by_modality(usage.prompt_tokens_details)
    response = _by_modality(usage.response_tokens_details)
    text_in = (usage.prompt_token_count or 0) + (usage.tool_use_prompt_token_count or 0)
    text_in -= prompt["AUDIO"] + prompt["IMAGE"] + prompt["VIDEO"]
    audio_out = (usage.response_token_count or 0) - response["TEXT"]
    return TokenUsage(
        text_in=max(0, text_in),
        audio_in=prompt["AUDIO"],
        image_in=prompt["IMAGE"] + prompt["VIDEO"],
        cached_in=usage.cached_content_token_count or 0,
        text_out=response["TEXT"] + (usage.thoughts_token_count or 0),
        audio_out=max(0, audio_out),
    )


def _by_modality(details: list[types.ModalityTokenCount] | None) -> dict[str, int]:
    counts = {"TEXT": 0, "AUDIO": 0, "IMAGE": 0, "VIDEO": 0}
    for detail in details or ():
        if detail.modality is not None and detail.modality.value in counts:
            counts[detail.modality.value] += detail.token_count or 0
    return counts


def parse_duration(value: str | None) -> float:
    """A protobuf Duration ("50s", "1.5s"); unreadable means no time left, so reconnect now."""
    try:
        return max(0.0, float((value or "").removesuffix("s")))
    except ValueError:
        return 0.0


def closed_error(code: int, reason: str) -> ProviderError:
    """A close during the session: 1007 and 1008 need a person to fix something, the rest a new connection."""
    if code in NOT_RETRYABLE:
        kind, message = _refusal(code, reason)
        return ProviderError(kind, message, retryable=False)
    return ProviderError(
        {1000: "closed", 1001: "closed", 1006: "dropped"}.get(code, "unavailable"),
        f"The tutor service closed the connection ({code}: {reason or 'no reason given'}).",
        retryable=True,
    )


def connect_error(code: int, reason: str, *, resuming: bool) -> ProviderConnectError:
    """A close during setup. While resuming, anything but a bad key may be the handle (expired, unknown, or
    refused while the old socket lingers): the runner then retries without it, and a setup that is truly
    wrong fails on that attempt with its own message."""
    if _bad_key(code, reason):
        return ProviderConnectError(*_refusal(code, reason), retryable=False)
    if resuming:
        return ProviderConnectError(
            "resumption_rejected", f"The tutor service did not resume the session ({code}: {reason}).", retryable=True
        )
    error = closed_error(code, reason)
    return ProviderConnectError(error.code, error.message, retryable=error.retryable)


def _bad_key(code: int, reason: str) -> bool:
    return code == 1008 and "api key" in reason.lower()


def _refusal(code: int, reason: str) -> tuple[str, str]:
    if _bad_key(code, reason):
        return "auth", (
            f"The tutor service refused the Gemini API key ({reason}). "
            "The site's administrator needs to check GEMINI_API_KEY."
        )
    if code == 1008:
        return "refused", (
            f"The tutor service refused this session ({reason}). "
            "The lesson's model may not be available with this site's key."
        )
    return "invalid_request", (
        f"The tutor service rejected the session's settings ({reason}). "
        "The lesson's model, voice or language may not be supported."
    )
