"""Brief limits: parsing has a bounded cost and absurd values are refused, each as one precise error.

Covers the file-size cap, YAML anchors/aliases (alias bombs), nesting and bulk caps, non-finite and huge numbers,
control characters in text, excluding every platform and self-contradicting targets, through the loader and
through `socialplan plan` (exit 2, one `error:` line, nothing written).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from agent.model.brief import Platform
from agent.model.brief_io import MAX_BYTES, MAX_NODES, BriefError, load_brief
from tests.conftest import socialplan
from tests.test_brief import BASE, with_change, write
from tests.test_cli import run

ALL_PLATFORMS = [p.value for p in Platform]


def alias_bomb() -> str:
    """Billion laughs: nine levels of nine aliases, 9**9 'lol's from well under a kilobyte."""
    lines = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return "\n".join([*lines, yaml.safe_dump(BASE).rstrip(), "competitors: *a8"]) + "\n"


def refused(path: Path) -> BriefError:
    with pytest.raises(BriefError) as info:
        load_brief(path)
    assert str(info.value).isprintable(), "an error line never carries raw control characters"
    return info.value


def test_alias_bomb_is_refused_before_expanding(tmp_path: Path) -> None:
    text = alias_bomb()
    assert len(text.encode()) < 1024
    error = refused(write(tmp_path, text))
    assert (error.field, error.message) == ("line 1", "YAML anchors and aliases (&, *) are not allowed in a brief")


@pytest.mark.parametrize("text", [
    yaml.safe_dump(BASE) + "competitors: &c [a, b]\n",
    yaml.safe_dump(BASE) + "x: &c a\ny: *c\n",
    yaml.safe_dump(BASE) + "<<: &m {x: 1}\n",
])
def test_any_anchor_or_alias_is_refused(tmp_path: Path, text: str) -> None:
    assert "anchors and aliases" in refused(write(tmp_path, text)).message


def test_file_over_the_size_cap_is_refused_unparsed(tmp_path: Path) -> None:
    path = write(tmp_path, yaml.safe_dump(BASE) + "#" * MAX_BYTES + "\n")
    assert (refused(path).field, refused(path).message) == ("file", "is larger than 1 MiB; a brief is a few KB of text")


def test_file_just_under_the_cap_loads(tmp_path: Path) -> None:
    head = yaml.safe_dump(BASE)
    path = write(tmp_path, head + "#" * (MAX_BYTES - len(head) - 1) + "\n")
    assert path.stat().st_size == MAX_BYTES
    assert load_brief(path).business.name == "A"


@pytest.mark.parametrize(("name", "text", "fragment"), [
    ("b.yaml", "x: " + "[" * 17 + "]" * 17 + "\n", "nested more than 16 levels deep"),
    ("b.json", '{"x": ' + "[" * 17 + "]" * 17 + "}", "nested more than 16 levels deep"),
    ("b.json", "[" * 200_000 + "]" * 200_000, "nested more than 16 levels deep"),
    ("b.yaml", "x: [" + ", ".join(["a"] * MAX_NODES) + "]\n", "more than 10,000 values"),
    ("b.json", json.dumps({"x": ["a"] * MAX_NODES}), "more than 10,000 values"),
    ("b.json", '{"x": ' + "9" * 5000 + "}", "holds a value that cannot be read (Exceeds the limit (4300 digits)"),
    ("b.yaml", "x: " + "9" * 5000 + "\n", "holds a value that cannot be read (Exceeds the limit (4300 digits)"),
    ("b.yaml", "start_date: 2027-02-30\n", "holds a value that cannot be read (day is out of range for month)"),
])
def test_shape_caps(tmp_path: Path, name: str, text: str, fragment: str) -> None:
    assert fragment in refused(write(tmp_path, text, name)).message


@pytest.mark.parametrize(("text", "field", "code"), [
    ("business:\n  name: A\x00\n", "line 2", "U+0000"),
    ("x: 1\ny: \x1b[31mred\n", "line 2", "U+001B"),
    ('{"x":\n "\x7f"}', "line 2", "U+007F"),
])
def test_raw_control_characters_in_the_file(tmp_path: Path, text: str, field: str, code: str) -> None:
    error = refused(write(tmp_path, text, "b.json" if text.startswith("{") else "b.yaml"))
    assert (error.field, error.message) == (field, f"contains a control character ({code})")


FLOATS = ["resources.monthly_budget", "resources.team_hours_per_week", "presence.0.posts_per_week",
          "presence.0.engagement_rate", "presence.0.followers", "audience.age_min", "goals.horizon_months"]


def with_value(path: str, value: object) -> dict:
    if not path.startswith("presence"):
        return with_change(path, value)
    return {**BASE, "presence": [{"platform": "x", path.rsplit(".", 1)[1]: value}]}


@pytest.mark.parametrize("path", FLOATS)
@pytest.mark.parametrize(("yaml_text", "json_text", "shown"), [
    (".nan", "NaN", "nan"), (".inf", "Infinity", "inf"), ("-.inf", "-Infinity", "-inf"), (".inf", "1e400", "inf"),
])
def test_non_finite_numbers(tmp_path: Path, path: str, yaml_text: str, json_text: str, shown: str) -> None:
    field = path.replace(".0.", "[0].")
    as_yaml = yaml.safe_dump(with_value(path, "@@")).replace("'@@'", yaml_text)
    as_json = json.dumps(with_value(path, "@@")).replace('"@@"', json_text)
    for error in (refused(write(tmp_path, as_yaml)), refused(write(tmp_path, as_json, "b.json"))):
        assert (error.field, error.message) == (field, f"must be a finite number (got {shown})")


@pytest.mark.parametrize(("path", "value", "message"), [
    ("resources.monthly_budget", 1e12, "1e+12 is more than the 1,000,000,000 a month a plan can use"),
    ("resources.monthly_budget", 1e308, "1e+308 is more than the 1,000,000,000 a month a plan can use"),
    ("presence.0.followers", 10**11, "is more than 10,000,000,000 (more accounts than people)"),
    ("presence.0.followers", 10**4000, "is more than 10,000,000,000 (more accounts than people)"),
], ids=["budget-1e12", "budget-1e308", "followers-1e11", "followers-4001-digits"])
def test_absurd_magnitudes(tmp_path: Path, path: str, value: object, message: str) -> None:
    path_json = tmp_path / "b.json"
    path_json.write_text(json.dumps(with_value(path, "@@")).replace('"@@"', str(value)))
    error = refused(path_json)
    assert (error.field, error.message) == (path.replace(".0.", "[0]."), message)


def test_largest_sane_numbers_load(tmp_path: Path) -> None:
    data = {**with_change("resources.monthly_budget", 1e9), "presence": [{"platform": "x", "followers": 10**10}]}
    assert load_brief(write(tmp_path, data)).resources.monthly_budget == 1e9


TEXTS = ["business.name", "business.description", "business.industry", "business.website", "business.locations.0",
         "audience.description", "audience.timezone", "audience.interests.0", "goals.target", "resources.currency",
         "competitors.0", "start_date", "exclude_platforms.0", "presence.0.platform"]


def with_text(path: str, text: str) -> dict:
    if path.endswith(".0"):
        key = path.removesuffix(".0")
        return with_change(key, [text]) if "." in key else {**BASE, key: [text]}
    if path == "presence.0.platform":
        return {**BASE, "presence": [{"platform": text}]}
    return with_change(path, text) if "." in path else {**BASE, path: text}


@pytest.mark.parametrize("path", TEXTS)
@pytest.mark.parametrize(("char", "code"), [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\x08", "U+0008"),
                                            ("\x7f", "U+007F"), ("\x9b", "U+009B")])
def test_control_characters_in_every_text_field(tmp_path: Path, path: str, char: str, code: str) -> None:
    error = refused(write(tmp_path, json.dumps(with_text(path, f"Ac{char}me 50")), "b.json"))
    assert error.field.replace("[0]", ".0") == path
    if path == "exclude_platforms.0":  # an enum: refused as an unknown platform, shown escaped
        assert error.message.startswith("unknown platform 'Ac\\x") and code[-2:].lower() in error.message
    else:
        assert error.message == f"contains a control character ({code}); use plain text"


@pytest.mark.parametrize(("path", "text"), [
    ("business.name", "Acme\nInc"), ("business.name", "Acme\tInc"), ("audience.interests.0", "a\nb"),
    ("business.description", "one\x0btwo"), ("goals.target", "50 leads\x0c a month"),
])
def test_line_breaks_only_in_long_text(tmp_path: Path, path: str, text: str) -> None:
    error = refused(write(tmp_path, json.dumps(with_text(path, text)), "b.json"))
    assert error.field.replace("[0]", ".0") == path and error.message.startswith("contains a control character")


def test_long_text_keeps_tabs_and_line_breaks_and_short_text_is_stripped(tmp_path: Path) -> None:
    data = with_change("business.description", "Line one.\r\n\tLine two.")
    data["business"]["name"] = "\tAcme\n"
    data["goals"]["target"] = "50 leads a month\nby June"
    brief = load_brief(write(tmp_path, json.dumps(data), "b.json"))
    assert (brief.business.name, brief.business.description) == ("Acme", "Line one.\r\n\tLine two.")


def test_a_control_character_in_an_unknown_key_is_not_echoed(tmp_path: Path) -> None:
    error = refused(write(tmp_path, json.dumps({**BASE, "bad\x00key": 1}), "b.json"))
    assert (error.field, error.message) == ("'bad\\x00key'", "unknown key")


def test_long_bad_values_are_shortened_in_the_message(tmp_path: Path) -> None:
    error = refused(write(tmp_path, with_change("resources.team_hours_per_week", "x" * 10_000)))
    assert error.field == "resources.team_hours_per_week" and len(error.message) < 200


def test_excluding_every_platform(tmp_path: Path) -> None:
    error = refused(write(tmp_path, {**BASE, "exclude_platforms": ALL_PLATFORMS}))
    assert (error.field, error.message) == ("exclude_platforms", "excludes every platform, so there is nothing to plan")


def test_excluding_all_but_one_and_excluding_a_current_platform_are_fine(tmp_path: Path) -> None:
    data = {**BASE, "exclude_platforms": ALL_PLATFORMS[1:], "presence": [{"platform": ALL_PLATFORMS[1]}]}
    brief = load_brief(write(tmp_path, data))
    assert len(brief.exclude_platforms) == len(ALL_PLATFORMS) - 1


@pytest.mark.parametrize(("target", "message"), [
    ("-50 leads a month", "'-50' is negative; a target is an amount to reach, e.g. '50 leads a month'"),
    ("leads: \u221220 a month", "'\u221220' is negative; a target is an amount to reach, e.g. '50 leads a month'"),
    ("grow followers by (-1,000)", "'-1,000' is negative; a target is an amount to reach, e.g. '50 leads a month'"),
    ("0 leads a month", "asks for 0, which is no target; give an amount above zero or leave target out"),
    ("0.0% engagement", "asks for 0, which is no target; give an amount above zero or leave target out"),
])
def test_contradictory_targets(tmp_path: Path, target: str, message: str) -> None:
    error = refused(write(tmp_path, with_change("goals.target", target)))
    assert (error.field, error.message) == ("goals.target", message)


@pytest.mark.parametrize("target", [
    "50-100 leads a month", "grow from 0 to 2,000 followers", "500 sign-ups by 2027-06-30", "double our leads",
    "0.5% engagement rate", "e-mail list of 1,000", "x-posts: 3 a week",
])
def test_ordinary_targets_stay_free_text(tmp_path: Path, target: str) -> None:
    assert load_brief(write(tmp_path, with_change("goals.target", target))).goals.target == target


def plan_cases() -> list[tuple[str, str, str, str]]:
    """(case id, file name, file text, expected error after '<file>: ')."""
    nan = yaml.safe_dump(with_change("resources.team_hours_per_week", "@@")).replace("'@@'", ".nan")
    nul_yaml = yaml.safe_dump(BASE).replace("name: A", 'name: "Ac\\0me"')
    return [
        ("alias-bomb", "b.yaml", alias_bomb(), "line 1: YAML anchors and aliases (&, *) are not allowed in a brief"),
        ("1e400-json", "b.json", json.dumps(with_change("resources.monthly_budget", "@@")).replace('"@@"', "1e400"),
         "resources.monthly_budget: must be a finite number (got inf)"),
        ("nan-yaml", "b.yaml", nan, "resources.team_hours_per_week: must be a finite number (got nan)"),
        ("nul-yaml", "b.yaml", nul_yaml, "business.name: contains a control character (U+0000); use plain text"),
        ("nul-json", "b.json", json.dumps(with_change("audience.description", "a\x00")),
         "audience.description: contains a control character (U+0000); use plain text"),
        ("exclude-all", "b.yaml", yaml.safe_dump({**BASE, "exclude_platforms": ALL_PLATFORMS}),
         "exclude_platforms: excludes every platform, so there is nothing to plan"),
        ("negative-target", "b.yaml", yaml.safe_dump(with_change("goals.target", "-50 leads a month")),
         "goals.target: '-50' is negative; a target is an amount to reach, e.g. '50 leads a month'"),
        ("oversize", "b.yaml", yaml.safe_dump(BASE) + "#" * MAX_BYTES,
         "file: is larger than 1 MiB; a brief is a few KB of text"),
    ]


@pytest.mark.parametrize(("name", "text", "expected", "real"),
                         [(*case[1:], case[0] == "alias-bomb") for case in plan_cases()],
                         ids=[case[0] for case in plan_cases()])
def test_plan_refuses_with_one_line_and_writes_nothing(
    tmp_path: Path, name: str, text: str, expected: str, real: bool
) -> None:
    """alias-bomb runs as a real process; the others run the same entry point in this process."""
    brief = tmp_path / name
    brief.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = (run if real else socialplan)("plan", str(brief), "--offline", "--out", str(out))
    assert (result.returncode, result.stderr, result.stdout) == (2, f"error: {brief}: {expected}\n", "")
    assert not out.exists()


def test_set_values_refuse_yaml_aliases_too() -> None:
    from agent.edits.paths import parse_set

    with pytest.raises(BriefError, match="anchors and aliases"):
        parse_set("competitors=&a [x, *a, *a]")
    assert parse_set("competitors=[a, b]").value == ["a", "b"]
