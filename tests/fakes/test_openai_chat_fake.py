"""The fake Chat Completions endpoint refuses what the real one refuses."""

import json
import urllib.error
import urllib.request

import pytest

from .openai_chat import FakeChatCompletions


def post(fake: FakeChatCompletions, body: dict, key: str = "sk-test", header: str = "bearer") -> tuple[int, dict]:
    auth = {"Authorization": f"Bearer {key}"} if header == "bearer" else {"api-key": key}
    request = urllib.request.Request(
        fake.base_url + "/chat/completions",
        data=json.dumps(body).encode(),
        headers={**auth, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.parametrize(
    ("body", "key", "status", "message"),
    [
        ({"model": "m", "messages": [{"role": "user", "content": "hi"}]}, "sk-wrong", 401, "Incorrect API key"),
        ({"model": "m", "messages": [], "max_output_tokens": 5}, "sk-test", 400, "Unrecognized request argument"),
        ({"model": "m", "messages": []}, "sk-test", 400, "too short"),
        ({"messages": [{"role": "user", "content": "hi"}]}, "sk-test", 400, "model"),
    ],
)
def test_refuses_bad_keys_unknown_arguments_and_missing_fields(body, key, status, message):
    with FakeChatCompletions() as fake:
        answer_status, answer = post(fake, body, key)
    assert answer_status == status and message in answer["error"]["message"]


def test_answers_a_valid_request_with_text_and_usage():
    with FakeChatCompletions(text="Résumé.") as fake:
        status, answer = post(fake, {"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    assert status == 200 and answer["choices"][0]["message"]["content"] == "Résumé."
    assert answer["usage"]["total_tokens"] == answer["usage"]["prompt_tokens"] + answer["usage"]["completion_tokens"]


@pytest.mark.parametrize(
    ("auth", "header", "status", "message"),
    [
        ("api-key", "api-key", 200, None),
        ("api-key", "bearer", 401, "Access token is missing"),  # Azure: a resource key is no Bearer token
        ("bearer", "api-key", 401, "You didn't provide an API key"),
    ],
)
def test_the_key_is_taken_only_the_way_the_service_takes_it(auth, header, status, message):
    with FakeChatCompletions(auth=auth) as fake:
        answer_status, answer = post(
            fake, {"model": "m", "messages": [{"role": "user", "content": "hi"}]}, header=header
        )
    assert answer_status == status
    assert message is None or message in answer["error"]["message"]
