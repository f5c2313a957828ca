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
        (
            {"model": "gpt-6-luna", "messages": [{"role": "user", "content": "hi"}]},
            "sk-wrong",
            401,
            "Incorrect API key",
        ),
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
        status, answer = post(fake, {"model": "gpt-6-luna", "messages": [{"role": "user", "content": "hi"}]})
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
            fake, {"model": "gpt-6-luna", "messages": [{"role": "user", "content": "hi"}]}, header=header
        )
    assert answer_status == status
    assert message is None or message in answer["error"]["message"]


@pytest.mark.parametrize("model", ["gpt-4o-realtime-preview", "no-such-model", "gpt-4.1-mini"])
def test_a_model_it_does_not_offer_is_a_404_model_not_found_and_billed_nothing(model):
    with FakeChatCompletions(shut_down=frozenset({"gpt-4.1-mini"})) as fake:
        status, answer = post(fake, {"model": model, "messages": [{"role": "user", "content": "hi"}]})
    assert status == 404 and answer["error"]["code"] == "model_not_found" and fake.billed == []
    assert answer["error"]["message"] == f"The model `{model}` does not exist or you do not have access to it."


def test_a_json_schema_gets_json_of_it_and_a_non_strict_schema_in_strict_mode_is_refused():
    schema = {"type": "object", "properties": {"summary": {"type": "string"}}, "required": ["summary"],
              "additionalProperties": False}  # fmt: skip
    body = {"model": "gpt-6-luna", "messages": [{"role": "user", "content": "hi"}]}
    with FakeChatCompletions(text="Résumé.") as fake:
        fmt = {"type": "json_schema", "json_schema": {"name": "answer", "strict": True, "schema": schema}}
        status, answer = post(fake, {**body, "response_format": fmt})
        assert status == 200 and json.loads(answer["choices"][0]["message"]["content"]) == {"summary": "Résumé."}
        loose = {**fmt, "json_schema": {**fmt["json_schema"], "schema": {**schema, "additionalProperties": True}}}
        status, answer = post(fake, {**body, "response_format": loose})
    assert status == 400 and answer["error"]["code"] == "invalid_json_schema"
    assert len(fake.billed) == 1


def test_the_list_of_models_gives_each_its_announced_shutdown():
    with FakeChatCompletions(shut_down=frozenset({"gpt-4o-transcribe"})) as fake:
        request = urllib.request.Request(fake.base_url + "/models", headers={"Authorization": "Bearer sk-test"})
        with urllib.request.urlopen(request, timeout=5) as response:
            listed = {m["id"]: m["shutdown_date"] for m in json.loads(response.read())["data"]}
    assert listed["gpt-4.1-mini"] == "2027-01-14" and listed["gpt-6-luna"] is None
    assert "gpt-4o-transcribe" not in listed
