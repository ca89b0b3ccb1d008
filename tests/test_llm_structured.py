"""Structured calls against the fake server: each fault mode ends in a value or a plain-words fault."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from agent.llm.factory import DEFAULT_BASE_URL, get_llm, new_llm
from agent.llm.faults import fault_from, redact
from agent.llm.schemas import SectionDraft
from agent.llm.structured import call_structured
from agent.model.settings import Settings
from tests.fake_llm import TEST_KEY, FakeLLM

MESSAGES = [
    {"role": "system", "content": "Write a section."},
    {"role": "user", "content": '<section id="summary" title="Summary">\n<reference_draft>\nAll good here.\n'
                                "</reference_draft>"},
]  # fmt: skip


def ask(settings: Settings):  # noqa: ANN201 - Outcome[SectionDraft]
    llm = get_llm(settings)
    assert llm is not None
    return call_structured(llm, MESSAGES, SectionDraft)


def test_factory_offline_without_key_or_base_url() -> None:
    assert get_llm(Settings()) is None
    assert get_llm(Settings(openai_api_key=SecretStr("k"), offline=True)) is None
    assert get_llm(Settings(openai_base_url="http://127.0.0.1:9/v1")) is not None


def test_factory_builds_from_settings_and_hides_the_key(llm_settings: Settings) -> None:
    llm = get_llm(llm_settings)
    assert llm is not None and llm.model == "fake-model" and llm.key_set
    assert llm.client.max_retries == 0 and llm.client.timeout == 5.0
    assert TEST_KEY not in repr(llm)
    assert get_llm(llm_settings) is llm  # one client per configuration
    assert new_llm(Settings(openai_api_key=SecretStr("k"))).endpoint == DEFAULT_BASE_URL


def test_json_schema_reply_with_usage(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    outcome = ask(llm_settings)
    assert outcome.fault is None and outcome.format == "json_schema"
    assert outcome.value is not None and "All good here." in outcome.value.text
    assert outcome.usage.calls == 1 and outcome.usage.prompt_tokens > 0 and outcome.usage.completion_tokens > 0
    body = fake_llm.requests[0].body
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "SectionDraft"
    assert "description" in json.dumps(body["response_format"]["json_schema"]["schema"]["properties"]["text"])


def test_429_then_success_is_retried_by_the_client(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("429", times=1)
    outcome = ask(llm_settings.model_copy(update={"llm_retries": 1}))
    assert outcome.fault is None and outcome.value is not None
    assert len(fake_llm.requests) == 2


@pytest.mark.parametrize(("kind", "fault"), [("500", "server_error"), ("429", "rate_limited"), ("401", "auth")])
def test_status_errors_become_faults(fake_llm: FakeLLM, llm_settings: Settings, kind: str, fault: str) -> None:
    fake_llm.fault(kind)
    outcome = ask(llm_settings)
    assert outcome.value is None and outcome.fault is not None and outcome.fault.kind == fault
    assert TEST_KEY not in outcome.fault.detail and TEST_KEY[:12] not in outcome.fault.detail


def test_slow_reply_times_out(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("slow", delay=2.0)
    outcome = ask(llm_settings.model_copy(update={"llm_timeout": 0.3}))
    assert outcome.fault is not None and outcome.fault.kind == "timeout"


def test_nothing_listening_is_unreachable(llm_settings: Settings, dead_url: str) -> None:
    outcome = ask(llm_settings.model_copy(update={"openai_base_url": dead_url}))
    assert outcome.fault is not None and outcome.fault.kind == "unreachable"


def test_invalid_json_is_retried_once_with_the_error(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("invalid_json", times=1)
    outcome = ask(llm_settings)
    assert outcome.fault is None and outcome.value is not None
    assert outcome.usage.calls == 2
    retry = fake_llm.requests[1].body["messages"]
    assert retry[-2]["role"] == "assistant" and "not json" in retry[-2]["content"]
    assert "does not match the required JSON schema" in retry[-1]["content"]


def test_invalid_json_twice_is_a_fault(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("invalid_json")
    outcome = ask(llm_settings)
    assert outcome.value is None and outcome.fault is not None and outcome.fault.kind == "invalid_reply"
    assert outcome.usage.calls == 2 and len(fake_llm.requests) == 2


def test_schema_valid_nonsense_passes_validation(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("nonsense")
    outcome = ask(llm_settings)
    assert outcome.value is not None and "48213" in outcome.value.text  # the number guard deals with it


@pytest.mark.parametrize(("kind", "fault"), [("length", "truncated"), ("refusal", "refused")])
def test_cut_off_and_refusal_are_faults(fake_llm: FakeLLM, llm_settings: Settings, kind: str, fault: str) -> None:
    fake_llm.fault(kind)
    outcome = ask(llm_settings)
    assert outcome.value is None and outcome.fault is not None and outcome.fault.kind == fault
    assert outcome.usage.calls == 1 and outcome.usage.prompt_tokens > 0


def test_json_schema_rejected_falls_back_to_json_mode(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("no_json_schema")
    first, second = ask(llm_settings), ask(llm_settings)
    assert first.value is not None and first.format == "json_object" and second.format == "json_object"
    kinds = [(r.body.get("response_format") or {}).get("type") for r in fake_llm.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # the endpoint's answer is remembered
    system = fake_llm.requests[1].body["messages"][0]["content"]
    assert "Schema name: SectionDraft" in system and '"citations"' in system


def test_no_response_format_at_all_puts_the_schema_in_the_prompt(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("no_response_format")
    outcome = ask(llm_settings)
    assert outcome.value is not None and outcome.format == "prompt"
    assert "response_format" not in fake_llm.requests[-1].body


def test_json_mode_reply_in_code_fences_is_read(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("no_json_schema")
    fake_llm.responder = lambda r: '```json\n{"text": "Fenced reply.", "citations": []}\n```'
    outcome = ask(llm_settings)
    assert outcome.value is not None and outcome.value.text == "Fenced reply."


def test_streaming_works_against_the_fake(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    llm = get_llm(llm_settings)
    assert llm is not None
    chunks = list(llm.client.chat.completions.create(
        model=llm.model, messages=MESSAGES, stream=True, stream_options={"include_usage": True}))  # type: ignore[arg-type]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert SectionDraft.model_validate_json(text).text.endswith("All good here.")
    assert chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens > 0
    with llm.client.chat.completions.stream(model=llm.model, messages=MESSAGES, response_format=SectionDraft) as s:  # type: ignore[arg-type]
        for _ in s:
            pass
        assert isinstance(s.get_final_completion().choices[0].message.parsed, SectionDraft)


def test_redact_removes_keys_and_bearer_tokens() -> None:
    text = f"bad key {TEST_KEY}; header Bearer abc.def; other sk-proj-abcdef123456"
    clean = redact(text, [TEST_KEY])
    assert TEST_KEY not in clean and "abc.def" not in clean and "sk-proj-abcdef123456" not in clean
    assert fault_from(ValueError(TEST_KEY), [TEST_KEY]).detail.count("redacted") == 1


@pytest.mark.parametrize("url", ["localhost:11434", "http://[::1"])
def test_unusable_base_url_is_a_fault_not_a_crash(url: str) -> None:
    llm = get_llm(Settings(openai_base_url=url))
    assert llm is not None and llm.client is None and llm.error
    outcome = call_structured(llm, MESSAGES, SectionDraft)
    assert outcome.fault is not None and outcome.fault.kind == "config" and outcome.usage.calls == 0
