"""`socialplan doctor`: the configuration without the key, one tiny call, and plain advice."""

from __future__ import annotations

import pytest
import typer
from pydantic import SecretStr
from typer.testing import CliRunner

from agent.cli.doctor import doctor_command
from agent.llm.doctor import public_url, run_doctor
from agent.model.settings import Settings
from tests.fake_llm import TEST_KEY, FakeLLM


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("doctor")(doctor_command)
    return app


def checks(report) -> dict[str, bool | None]:  # noqa: ANN001
    return {c.name: c.ok for c in report.checks}


def test_offline_configuration_says_what_to_set() -> None:
    report = run_doctor(Settings())
    assert report.mode == "offline" and report.ok and not report.key_set
    assert "OPENAI_API_KEY" in report.checks[0].fix and "OPENAI_BASE_URL" in report.checks[0].fix
    assert run_doctor(Settings(openai_api_key=SecretStr(TEST_KEY), offline=True)).checks[0].fix == ""


def test_working_endpoint_with_json_schema(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    report = run_doctor(llm_settings)
    assert report.ok and report.mode == "llm" and report.response_format == "json_schema"
    assert checks(report) == {"reachable": True, "model": True, "structured output": True}
    assert report.usage.calls == 1 and fake_llm.of_kind("DoctorPing")
    assert TEST_KEY not in report.model_dump_json()


def test_json_mode_fallback_is_reported_as_working(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("no_json_schema")
    report = run_doctor(llm_settings)
    assert report.ok and report.response_format == "json_object"
    assert "JSON-mode fallback" in report.checks[-1].detail


def test_unknown_model_lists_what_the_server_has(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.known_models = {"llama3.2", "qwen2.5"}
    report = run_doctor(llm_settings)
    assert not report.ok and checks(report) == {"reachable": True, "model": False}
    assert "SOCIALPLAN_MODEL" in report.checks[-1].fix and "llama3.2, qwen2.5" in report.checks[-1].fix


def test_nothing_listening(llm_settings: Settings, dead_url: str) -> None:
    report = run_doctor(llm_settings.model_copy(update={"openai_base_url": dead_url}))
    assert checks(report) == {"reachable": False} and "OPENAI_BASE_URL" in report.checks[0].fix


def test_slow_endpoint(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.fault("slow", delay=2.0)
    report = run_doctor(llm_settings.model_copy(update={"llm_timeout": 0.3}))
    assert checks(report) == {"reachable": False} and "SOCIALPLAN_LLM_TIMEOUT" in report.checks[0].fix


@pytest.mark.parametrize(("kind", "name"), [("401", "API key"), ("500", "server"), ("429", "quota"),
                                            ("invalid_json", "structured output")])
def test_failures_name_the_step_and_never_the_key(
    fake_llm: FakeLLM, llm_settings: Settings, kind: str, name: str
) -> None:
    fake_llm.fault(kind)
    report = run_doctor(llm_settings)
    assert not report.ok and report.checks[-1].name == name and report.checks[-1].fix
    assert TEST_KEY not in report.model_dump_json()


def test_public_url_drops_credentials() -> None:
    assert public_url("http://user:pw@host:8080/v1") == "http://host:8080/v1"
    assert public_url("https://api.openai.com/v1") == "https://api.openai.com/v1"


def test_cli_prints_the_configuration_not_the_key(fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    monkeypatch.setenv("SOCIALPLAN_MODEL", "fake-model")
    result = CliRunner().invoke(cli(), ["doctor", "--timeout", "5"])
    assert result.exit_code == 0, result.output
    assert f"endpoint: {fake_llm.base_url}" in result.output and "API key:  set (not shown)" in result.output
    assert "ok   structured output: json_schema structured outputs are supported" in result.output
    assert TEST_KEY not in result.output


def test_cli_exit_code_and_fix_when_broken(fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_llm.fault("401")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    result = CliRunner().invoke(cli(), ["doctor"])
    assert result.exit_code == 1
    assert "FAIL API key" in result.output and "fix: check OPENAI_API_KEY" in result.output
    assert TEST_KEY not in result.output and "Result: 1 problem(s)" in result.output


def test_cli_offline_exit_zero() -> None:
    result = CliRunner().invoke(cli(), ["doctor"])
    assert result.exit_code == 0 and "mode:     offline" in result.output and "API key:  not set" in result.output


def test_base_url_without_scheme_is_a_configuration_problem() -> None:
    report = run_doctor(Settings(openai_base_url="localhost:11434"))
    assert checks(report) == {"configuration": False} and "http://localhost:11434/v1" in report.checks[0].fix
