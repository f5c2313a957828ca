"""The OpenAI text model (summaries, reports) against the fake Chat Completions endpoint."""

import json
import math

import pytest

from tests.fakes.openai_chat import Failure, FakeChatCompletions
from tutor.config import TutorConfig
from tutor.providers.factory import text_model
from tutor.providers.openai.config import OpenAIConfig
from tutor.providers.openai.text import OpenAITextModel
from tutor.providers.text import TextModelError

SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string"}},
    "required": ["summary"],
    "additionalProperties": False,
}


@pytest.fixture
def chat():
    with FakeChatCompletions(text="Ana ordered a coffee and a croissant.") as fake:
        yield fake


def model_for(
    chat: FakeChatCompletions, api_key: str = "sk-test", auth: str = "bearer", model: str = "gpt-4.1-mini"
) -> OpenAITextModel:
    return OpenAITextModel(OpenAIConfig(api_key=api_key, auth=auth, base_url=chat.base_url + "/"), model)


async def test_completes_through_chat_completions_with_a_strict_json_schema_and_reports_usage(chat):
    chat.cached_tokens = 8
    result = await model_for(chat).complete(
        system="Summarise the lesson.", prompt="tutor: Bonjour !", schema=SCHEMA, max_output_tokens=300
    )
    assert json.loads(result.text) == {"summary": "Ana ordered a coffee and a croissant."}
    assert result.model == "gpt-4.1-mini-2025-04-14"
    (request,) = chat.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.body == {
        "model": "gpt-4.1-mini",
        "messages": [
            {"role": "system", "content": "Summarise the lesson."},
            {"role": "user", "content": "tutor: Bonjour !"},
        ],
        "max_completion_tokens": 300,
        "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "strict": True, "schema": SCHEMA}},
    }
    prompt_chars = len("Summarise the lesson.") + len("tutor: Bonjour !")
    assert (result.usage.text_in, result.usage.cached_in) == (math.ceil(prompt_chars / 4), 8)
    assert result.usage.text_out == math.ceil(len(result.text) / 4)
    assert result.usage.audio_in == result.usage.audio_out == 0


async def test_the_default_text_model_is_asked_for_no_reasoning(chat):
    """gpt-6-luna reasons by default, and its reasoning would eat the output limit: the catalog says "none"."""
    config = TutorConfig(openai=OpenAIConfig(api_key="sk-test", base_url=chat.base_url))
    model = text_model(config, "openai")
    await model.complete(system="s", prompt="p", schema=SCHEMA)
    assert chat.requests[0].body["model"] == "gpt-6-luna" and chat.requests[0].body["reasoning_effort"] == "none"


async def test_an_answer_cut_off_at_the_limit_is_unusable_and_carries_what_it_billed(chat):
    chat.answer_mode = "truncated"
    result = await model_for(chat).complete(system="s", prompt="p", schema=SCHEMA)  # text, but not whole JSON
    assert result.usage.total == chat.billed_tokens and not result.text.endswith("}")


async def test_a_shut_down_model_is_refused_with_model_not_found_and_not_retried():
    with FakeChatCompletions(shut_down=frozenset({"gpt-4.1-mini"})) as chat, pytest.raises(TextModelError) as failed:
        await model_for(chat).complete(system="s", prompt="p", schema=SCHEMA)
    assert not failed.value.retryable and "HTTP 404" in failed.value.message
    assert "The model `gpt-4.1-mini` does not exist" in failed.value.message and chat.billed == []


@pytest.mark.parametrize(
    ("failure", "retryable"),
    [
        (Failure(429, "Rate limit reached for gpt-4.1-mini.", "rate_limit_exceeded"), True),
        (Failure(429, "You exceeded your current quota.", "insufficient_quota", "insufficient_quota"), False),
        (Failure(500, "The server had an error while processing your request.", None, "server_error"), True),
        (Failure(400, "Invalid 'max_completion_tokens'.", "invalid_value"), False),
    ],
)
async def test_a_failure_says_whether_trying_again_later_may_work(chat, failure, retryable):
    chat.failures.append(failure)
    with pytest.raises(TextModelError) as failed:
        await model_for(chat).complete(system="s", prompt="p", schema=SCHEMA)
    assert failed.value.retryable is retryable
    assert f"HTTP {failure.status}" in failed.value.message and failure.message in failed.value.message


async def test_bad_key_is_not_retryable(chat):
    with pytest.raises(TextModelError) as failed:
        await model_for(chat, api_key="sk-wrong").complete(system="s", prompt="p", schema=SCHEMA)
    assert not failed.value.retryable and "HTTP 401" in failed.value.message


async def test_an_azure_key_goes_as_an_api_key_header_as_on_the_realtime_socket():
    with FakeChatCompletions(auth="api-key", text="Résumé.") as azure:
        result = await model_for(azure, auth="api-key").complete(system="s", prompt="p", schema=SCHEMA)
    assert json.loads(result.text) == {"summary": "Résumé."}
    (request,) = azure.requests
    assert request.headers["api-key"] == "sk-test" and "authorization" not in request.headers


@pytest.mark.parametrize(
    ("service", "sent", "refusal"),
    [("api-key", "bearer", "Access token is missing"), ("bearer", "api-key", "You didn't provide an API key")],
)
async def test_the_wrong_way_of_sending_the_key_is_a_401_not_retried(service, sent, refusal):
    with FakeChatCompletions(auth=service) as fake, pytest.raises(TextModelError) as failed:
        await model_for(fake, auth=sent).complete(system="s", prompt="p", schema=SCHEMA)
    assert not failed.value.retryable and "HTTP 401" in failed.value.message and refusal in failed.value.message


async def test_unreachable_server_is_retryable():
    model = OpenAITextModel(OpenAIConfig(api_key="sk-test", base_url="http://127.0.0.1:9/v1"), "gpt-4.1-mini")
    with pytest.raises(TextModelError) as failed:
        await model.complete(system="s", prompt="p", schema=SCHEMA)
    assert failed.value.retryable
