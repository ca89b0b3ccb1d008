"""`socialplan kb` commands: output, JSON, errors and exit codes (via typer's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from agent.cli.kb import kb_app
from tests.conftest_kb import ENTRIES, MALFORMED, write_knowledge


@pytest.fixture
def knowledge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_knowledge(tmp_path / "knowledge")
    monkeypatch.setenv("SOCIALPLAN_KNOWLEDGE_DIR", str(root))
    monkeypatch.setenv("SOCIALPLAN_INDEX_DIR", str(tmp_path / "index"))
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(kb_app, list(args))


def test_ingest_reports_counts_then_nothing_to_do(knowledge: Path) -> None:
    first = run("ingest")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"added {len(ENTRIES)}, updated 0, removed 0, unchanged 0, skipped 0")
    second = run("ingest")
    assert f"unchanged {len(ENTRIES)}" in second.stdout


def test_ingest_lists_skipped_entries_on_stderr(knowledge: Path) -> None:
    (knowledge / "smo" / "broken.md").write_text(MALFORMED, encoding="utf-8")
    result = run("ingest", str(knowledge))
    assert result.exit_code == 0
    assert "skipped 1" in result.stdout
    assert f"skipped: {knowledge / 'smo' / 'broken.md'}:5: platforms" in result.stderr


def test_ingest_missing_folder_is_bad_input(knowledge: Path, tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: knowledge folder not found")
    assert result.stderr.count("\n") == 1


def test_search_builds_the_index_and_prints_a_table(knowledge: Path) -> None:
    result = run("search", "hashtags for Instagram", "-k", "2")
    assert result.exit_code == 0, result.stderr
    assert "indexed 7 entries" in result.stderr
    header = result.stdout.splitlines()[1]
    for column in ("id", "title", "score", "file"):
        assert column in header
    assert "instagram-hashtags" in result.stdout
    assert "indexed" not in run("search", "hashtags").stderr  # second time: already current


def test_search_json(knowledge: Path) -> None:
    result = run("search", "TikTok ads daily budget", "--json", "-k", "3", "--kind", "smm",
                 "--platform", "tiktok")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "tiktok-ads-budget"
    assert set(hits[0]) == {"id", "title", "kind", "source", "score", "platforms", "file", "passage"}
    assert Path(hits[0]["file"]).is_file() and hits[0]["passage"]
    assert all(h["kind"] == "smm" for h in hits)


def test_search_modes_and_goal(knowledge: Path) -> None:
    for mode in ("dense", "keyword", "hybrid"):
        result = run("search", "Pinterest search traffic", "--mode", mode, "--goal", "traffic", "--json")
        assert json.loads(result.stdout)[0]["id"] == "pinterest-keyword-pins", mode


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--platform", "myspace"], "error: unknown platform 'myspace'"),
        (["--kind", "seo"], "error: unknown kind 'seo'"),
        (["--goal", "fame"], "error: unknown goal 'fame'"),
        (["--mode", "fuzzy"], "error: unknown mode 'fuzzy'"),
    ],
)
def test_search_bad_input_exits_2_with_one_line(knowledge: Path, args: list[str], message: str) -> None:
    result = run("search", "anything", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert not (knowledge.parent / "index").exists()  # validated before anything is opened


def test_search_without_knowledge_folder_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALPLAN_KNOWLEDGE_DIR", str(tmp_path / "missing"))
    result = run("search", "anything")
    assert result.exit_code == 2 and result.stderr.startswith("error: knowledge folder not found")


def test_search_without_match_says_so(knowledge: Path) -> None:
    result = run("search", "zzzqqq", "--mode", "keyword")
    assert result.exit_code == 0 and "no match" in result.stderr
    assert run("search", "zzzqqq", "--mode", "keyword", "--json").stdout.strip() == "[]"


def test_stats(knowledge: Path) -> None:
    run("ingest")
    text = run("stats")
    assert text.exit_code == 0 and "entries: 7" in text.stdout and "current: True" in text.stdout
    data = json.loads(run("stats", "--json").stdout)
    assert data["entries"] == 7 and data["by_kind"] == {"smm": 2, "smo": 5}


def test_bad_chroma_url_is_reported(knowledge: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALPLAN_CHROMA_URL", "ftp://nowhere:21")
    result = run("stats")
    assert result.exit_code == 2 and result.stderr.startswith("error: not a Chroma server URL")
