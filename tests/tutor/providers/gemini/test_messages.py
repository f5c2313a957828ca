"""Gemini server messages translated into events, on messages the fake does not send."""

import base64
import json

import pytest
from google import genai
from google.genai import errors, types
from google.genai.live import AsyncSession

from tutor.events import (
    AudioOut,
    GoingAway,
    Interrupted,
    SpeechStarted,
    TokenUsage,
    TranscriptDelta,
    TranscriptFinal,
    TurnComplete,
    Usage,
)
from tutor.providers.gemini.messages import MessageTranslator, model_audio, parse_duration, token_usage


def test_usage_counts_prompt_tokens_the_details_leave_out_as_text_and_thinking_as_text_output():
    # A receipt reported for gemini-3.8-live: 25 prompt tokens are in no modality, thinking is outside the response.
    usage = types.UsageMetadata.model_validate(
        {
            "prompt_token_count": 522,
            "response_token_count": 42,
            "total_token_count": 564,
            "prompt_tokens_details": [
                {"modality": "TEXT", "token_count": 332},
                {"modality": "AUDIO", "token_count": 165},
            ],
            "response_tokens_details": [{"modality": "AUDIO", "token_count": 42}],
            "thoughts_token_count": 136,
        }
    )
    assert token_usage(usage) == TokenUsage(text_in=357, audio_in=165, text_out=136, audio_out=42)


def test_usage_without_details_counts_the_prompt_as_text_and_the_response_as_audio():
    usage = types.UsageMetadata(prompt_token_count=100, response_token_count=40)
    assert token_usage(usage) == TokenUsage(text_in=100, audio_out=40)


def test_goaway_time_left_is_read_from_a_protobuf_duration():
    message = types.LiveServerMessage(go_away=types.LiveServerGoAway(time_left="50s"))
    assert MessageTranslator().translate(message) == [GoingAway(50.0)]
    assert (parse_duration("1.500s"), parse_duration(None), parse_duration("soon")) == (1.5, 0.0, 0.0)


def test_a_usage_only_message_is_a_usage_event():
    message = types.LiveServerMessage(usage_metadata=types.UsageMetadata(prompt_token_count=7))
    assert MessageTranslator().translate(message) == [Usage(TokenUsage(text_in=7))]


# ---- the student's turn around the tutor's answer ---------------------------------------------------


def heard(text: str) -> bytes:
    return json.dumps({"serverContent": {"inputTranscription": {"text": text}}}).encode()


SPOKEN = json.dumps(
    {"serverContent": {"modelTurn": {"parts": [{"inlineData": {"data": base64.b64encode(b"\x01\x00").decode()}}]}}}
).encode()
TURN_COMPLETE = json.dumps({"serverContent": {"turnComplete": True}}).encode()
INTERRUPTED = json.dumps({"serverContent": {"interrupted": True}}).encode()


def translated(translator: MessageTranslator, *messages: bytes) -> list:
    return [event for message in messages for event in translator.translate_raw(message)]


def test_the_tail_of_a_transcript_that_trails_the_answer_stays_in_the_students_turn():
    events = translated(MessageTranslator(), heard("Un"), SPOKEN, heard(" café"), TURN_COMPLETE)
    assert events == [
        SpeechStarted(),
        TranscriptDelta("student", "Un"),
        AudioOut(b"\x01\x00"),
        TranscriptDelta("student", " café"),
        TranscriptFinal("student", "Un café"),
        TurnComplete(),
    ]


def test_an_answer_to_speech_not_transcribed_yet_first_reserves_the_students_turn():
    translator = MessageTranslator()
    events = translated(translator, SPOKEN, heard("Un café"), TURN_COMPLETE)
    assert events == [
        SpeechStarted(),
        AudioOut(b"\x01\x00"),
        TranscriptDelta("student", "Un café"),
        TranscriptFinal("student", "Un café"),
        TurnComplete(),
    ]
    # Speech never transcribed at all leaves the reserved turn empty: the student's unheard turn.
    assert translated(translator, SPOKEN, TURN_COMPLETE) == [
        SpeechStarted(),
        AudioOut(b"\x01\x00"),
        TranscriptFinal("student", ""),
        TurnComplete(),
    ]


def test_an_answer_to_what_was_sent_reserves_no_student_turn():
    translator = MessageTranslator()
    translator.prompted()  # typed text, a cue, a picture or a tool result to speak about
    assert translated(translator, SPOKEN, SPOKEN, TURN_COMPLETE) == [AudioOut(b"\x01\x00")] * 2 + [TurnComplete()]


def test_a_transcript_finished_before_the_answer_is_not_reserved_again():
    finished = json.dumps({"serverContent": {"inputTranscription": {"text": "Un café", "finished": True}}}).encode()
    events = translated(MessageTranslator(), finished, SPOKEN, TURN_COMPLETE)
    assert [type(e) for e in events] == [SpeechStarted, TranscriptDelta, TranscriptFinal, AudioOut, TurnComplete]


def test_what_the_student_says_after_an_interruption_is_a_new_turn():
    events = translated(MessageTranslator(), heard("Un"), SPOKEN, INTERRUPTED, TURN_COMPLETE, heard("Non"))
    assert events == [
        SpeechStarted(),
        TranscriptDelta("student", "Un"),
        AudioOut(b"\x01\x00"),
        Interrupted(),
        TranscriptFinal("student", "Un"),
        TurnComplete(),
        SpeechStarted(),
        TranscriptDelta("student", "Non"),
    ]


# ---- read off the socket: the same events as through the SDK's own parsing ---------------------------

PCM = bytes(range(256)) * 6


def _audio(data: str, **content: object) -> dict:
    return {
        "serverContent": {
            "modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": data}}]},
            **content,
        }
    }


MESSAGES = [
    {"setupComplete": {}},
    {"serverContent": {"inputTranscription": {"text": "Je voudrais"}}},
    {"serverContent": {"inputTranscription": {"text": " un café."}}},
    _audio(base64.b64encode(PCM).decode()),  # the first audio ends the student's turn
    _audio(base64.urlsafe_b64encode(PCM).decode()),  # the url-safe alphabet, as the service may send it
    _audio(base64.b64encode(PCM[:1000]).decode().rstrip("=")),  # no padding: left to the SDK's parser
    _audio(""),  # an empty chunk
    {
        "serverContent": {
            "modelTurn": {
                "parts": [
                    {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": base64.b64encode(PCM[:100]).decode()}},
                    {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": base64.b64encode(PCM[100:]).decode()}},
                ]
            }
        }
    },
    {"serverContent": {"modelTurn": {"parts": [{"text": "thinking"}]}}},
    _audio(base64.b64encode(PCM).decode(), outputTranscription={"text": "Très bien"}),  # 3.1 bundles them
    {"serverContent": {"outputTranscription": {"text": ", un café."}}},
    {"toolCall": {"functionCalls": [{"id": "c1", "name": "note_correction", "args": {"original": "a"}}]}},
    {"serverContent": {"turnComplete": True}, "usageMetadata": {"promptTokenCount": 9, "responseTokenCount": 4}},
    {"serverContent": {"interrupted": True}},
    {"sessionResumptionUpdate": {"newHandle": "h-1", "resumable": True}},
    {"goAway": {"timeLeft": "12s"}},
    _audio(base64.b64encode(PCM).decode()) | {"usageMetadata": {"promptTokenCount": 3}},
    {
        "serverContent": {
            "modelTurn": {"parts": [{"inlineData": {"data": base64.b64encode(PCM).decode()}}], "role": "model"}
        }
    },
    {"someFutureField": {"x": 1}, "serverContent": {"generationComplete": True}},
]


class _Socket:
    """Enough of websockets' connection for AsyncSession._receive: one raw message per recv()."""

    def __init__(self, messages: list[bytes]) -> None:
        self._messages = list(messages)

    async def recv(self, decode: bool | None = None) -> bytes:
        return self._messages.pop(0)


async def test_messages_read_off_the_socket_give_the_events_the_sdks_parsing_gives():
    raw = [json.dumps(message).encode() for message in MESSAGES]
    session = AsyncSession(api_client=genai.Client(api_key="k")._api_client, websocket=_Socket(raw))
    through_sdk, ours = MessageTranslator(), MessageTranslator()
    for message in raw:
        expected = through_sdk.translate(await session._receive())
        assert ours.translate_raw(message) == expected, message
    assert any(isinstance(event, AudioOut) and event.pcm == PCM for event in ours.translate_raw(raw[3]))


def test_audio_alone_is_decoded_without_the_sdk_and_anything_else_is_left_to_it():
    assert model_audio(_audio(base64.urlsafe_b64encode(PCM).decode())) == [PCM]
    assert model_audio(MESSAGES[9]) is None  # audio with a transcript
    assert model_audio(MESSAGES[5]) is None  # unpadded: the SDK decides
    assert model_audio({"serverContent": {"modelTurn": {"parts": [{"text": "x"}]}}}) is None


def test_an_error_payload_in_place_of_a_message_raises_as_the_sdk_does():
    with pytest.raises(errors.APIError):
        MessageTranslator().translate_raw(json.dumps({"code": 429, "message": "quota"}))
    with pytest.raises(ValueError):
        MessageTranslator().translate_raw(b"not json")
