"""Brief loading: valid examples load; every kind of bad input gives one precise error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from agent.model.brief import Brief
from agent.model.brief_io import BriefError, load_brief
from tests.conftest import EXAMPLES

BASE = {
    "business": {"name": "A", "description": "d", "industry": "i"},
    "audience": {"description": "a", "timezone": "Europe/Berlin"},
    "goals": {"primary": "leads"},
    "resources": {"monthly_budget": 100, "team_hours_per_week": 5},
}


def write(tmp_path: Path, data: object, name: str = "brief.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def with_change(path: str, value: object) -> dict:
    data = json.loads(json.dumps(BASE))
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return data


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_examples_load(name: str) -> None:
    brief = load_brief(EXAMPLES / f"{name}.yaml")
    assert isinstance(brief, Brief)


def test_defaults() -> None:
    brief = Brief.model_validate(BASE)
    assert (brief.business.model, brief.business.stage, brief.audience.age_min, brief.audience.age_max) == (
        "b2c", "early", 18, 65)
    assert brief.goals.horizon_months == 3 and brief.resources.currency == "USD"
    assert brief.resolved_start(dt.date(2026, 11, 18)) == dt.date(2026, 11, 23)  # next Monday
    assert brief.resolved_start(dt.date(2026, 11, 23)) == dt.date(2026, 11, 30)


@pytest.mark.parametrize(("change", "field", "fragment"), [
    (("surprise", 1), "surprise", "unknown key"),
    (("business.mood", "x"), "business.mood", "unknown key"),
    (("audience.timezone", "Mars/Olympus"), "audience.timezone", "not an IANA time zone"),
    (("audience.timezone", "EST5EDTX"), "audience.timezone", "not an IANA time zone"),
    (("audience.age_min", 9), "audience.age_min", "greater than or equal to 13"),
    (("audience.age_max", 120), "audience.age_max", "less than or equal to 100"),
    (("goals.primary", "fame"), "goals.primary", "unknown value 'fame'"),
    (("goals.horizon_months", 30), "goals.horizon_months", "less than or equal to 24"),
    (("resources.monthly_budget", -1), "resources.monthly_budget", "greater than or equal to 0"),
    (("resources.team_hours_per_week", "lots"), "resources.team_hours_per_week", "got 'lots'"),
    (("resources.team_hours_per_week", 0), "resources.team_hours_per_week", "greater than 0"),
    (("resources.formats", ["text", "holograms"]), "resources.formats[1]", "unknown format 'holograms'"),
    (("resources.currency", "dollars"), "resources.currency", "match pattern"),
    (("exclude_platforms", ["myspace"]), "exclude_platforms[0]", "unknown platform 'myspace'"),
    (("presence", [{"platform": "myspace"}]), "presence[0].platform", "unknown platform 'myspace'"),
    (("business.model", "b2g"), "business.model", "unknown value 'b2g'"),
    (("start_date", "next week"), "start_date", "got 'next week'"),
])
def test_bad_fields(tmp_path: Path, change: tuple[str, object], field: str, fragment: str) -> None:
    path = write(tmp_path, with_change(*change) if "." in change[0] else {**BASE, change[0]: change[1]})
    with pytest.raises(BriefError) as info:
        load_brief(path)
    assert info.value.field == field
    assert fragment in info.value.message
    assert str(info.value).startswith(f"{path}: {field}: ")


def test_age_order(tmp_path: Path) -> None:
    data = with_change("audience.age_min", 50)
    data["audience"]["age_max"] = 20
    with pytest.raises(BriefError) as info:
        load_brief(write(tmp_path, data))
    assert info.value.field == "audience.age_max"
    assert "below age_min (50)" in info.value.message


def test_missing_required(tmp_path: Path) -> None:
    data = json.loads(json.dumps(BASE))
    del data["audience"]["timezone"]
    with pytest.raises(BriefError) as info:
        load_brief(write(tmp_path, data))
    assert (info.value.field, info.value.message) == ("audience.timezone", "is required")


@pytest.mark.parametrize(("text", "name", "field", "fragment"), [
    ("", "b.yaml", "file", "is empty"),
    ("   \n", "b.yaml", "file", "is empty"),
    ("business: [\n", "b.yaml", "line 2", "malformed YAML"),
    ("- a\n- b\n", "b.yaml", "file", "must hold a mapping"),
    ('{"business": ', "b.json", "line 1", "malformed JSON"),
])
def test_bad_files(tmp_path: Path, text: str, name: str, field: str, fragment: str) -> None:
    with pytest.raises(BriefError) as info:
        load_brief(write(tmp_path, text, name))
    assert info.value.field == field and fragment in info.value.message


def test_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BriefError, match="file: not found"):
        load_brief(tmp_path / "nope.yaml")
    with pytest.raises(BriefError, match="is a folder"):
        load_brief(tmp_path)


def test_json_brief_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(BASE).encode())
    assert load_brief(path).business.name == "A"


def test_duplicate_presence(tmp_path: Path) -> None:
    data = {**BASE, "presence": [{"platform": "x"}, {"platform": "x"}]}
    with pytest.raises(BriefError, match="presence lists x more than once"):
        load_brief(write(tmp_path, data))
