"""Gemini server messages translated into events, on messages the fake does not send."""

from google.genai import types

from tutor.events import GoingAway, TokenUsage, Usage
from tutor.providers.gemini.messages import MessageTranslator, parse_duration, token_usage


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
