"""Version folders: numbering, atomic writes, old versions untouched, nothing half-written left."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agent.model.plan_io import latest_version
from agent.render import versions
from agent.render.versions import client_dir, next_version, slugify, write_version

FILES = {"strategy.md": b"# Plan\n", "plan.json": b'{"version": 1}\n'}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")] if folder.exists() else []


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Acme Analytics", "acme-analytics"),
        ("Café Déjà Vu!", "cafe-deja-vu"),
        ("  --Hello__World--  ", "hello-world"),
        ("Bill.com", "bill-com"),
        ("Rosa's Taqueria", "rosas-taqueria"),
        ("ÆON & Søn GmbH", "aeon-son-gmbh"),
        ("東京カフェ", "dongjingkafue"),
        ("Кофейня Москва", "kofeynya-moskva"),
        ("", "client-"),
        ("!!!", "client-"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    """Any script is transliterated; a name with nothing to keep gets 'client-' and a hash of the name."""
    found = slugify(name)
    assert found == slug or (slug == "client-" and found.startswith(slug) and len(found) == 13)


def test_slugify_is_bounded_and_clean() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= 60 and not slug.endswith("-") and "--" not in slug


@pytest.mark.parametrize("bad", ["../evil", "a/b", "", "Upper", "-x"])
def test_client_dir_rejects_non_slugs(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        client_dir(tmp_path, bad)


def test_numbering_on_a_new_client(tmp_path: Path) -> None:
    folder = client_dir(tmp_path, "acme")
    assert next_version(folder) == 1
    assert latest_version(folder) is None


def test_v1_then_v2_leaves_v1_untouched(tmp_path: Path) -> None:
    first = write_version(tmp_path, "acme", FILES)
    assert first == tmp_path / "acme" / "v1"
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    assert before == FILES
    second = write_version(tmp_path, "acme", {"strategy.md": b"# Plan v2\n", "plan.json": b"{}\n"})
    assert second == tmp_path / "acme" / "v2"
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    assert latest_version(tmp_path / "acme") == second
    assert next_version(tmp_path / "acme") == 3
    assert leftovers(tmp_path / "acme") == []


def test_make_builds_files_for_the_number_it_gets(tmp_path: Path) -> None:
    write_version(tmp_path, "acme", FILES)
    calls: list[int] = []

    def make(n: int) -> dict[str, bytes]:
        calls.append(n)
        return {"plan.json": json.dumps({"version": n}).encode()}

    path = write_version(tmp_path, "acme", {}, make=make)
    assert calls == [2] and path.name == "v2"
    assert json.loads((path / "plan.json").read_text())["version"] == 2


def test_a_version_that_appears_meanwhile_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    calls: list[int] = []

    def make(n: int) -> dict[str, bytes]:
        calls.append(n)
        if n == 1:  # another process publishes v1 while we build ours
            (folder / "v1").mkdir()
            (folder / "v1" / "plan.json").write_bytes(b"theirs")
        return {"plan.json": json.dumps({"version": n}).encode()}

    path = write_version(tmp_path, "acme", {}, make=make)
    assert calls == [1, 2] and path.name == "v2"
    assert (folder / "v1" / "plan.json").read_bytes() == b"theirs"
    assert json.loads((path / "plan.json").read_text()) == {"version": 2}
    assert leftovers(folder) == []


def test_failure_on_a_new_client_leaves_no_folder(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_version(tmp_path, "acme", {"strategy.md": b"ok", "plan.json": "not bytes"})  # type: ignore[dict-item]
    assert not (tmp_path / "acme").exists()


def test_failure_in_the_middle_keeps_old_versions_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    v1 = write_version(tmp_path, "acme", FILES)
    real_fsync, calls = os.fsync, []

    def flaky_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError("disk full")
        real_fsync(fd)

    monkeypatch.setattr(versions.os, "fsync", flaky_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_version(tmp_path, "acme", {"a.txt": b"1", "b.txt": b"2", "c.txt": b"3"})
    assert sorted(p.name for p in (tmp_path / "acme").iterdir()) == ["v1"]
    assert {p.name: p.read_bytes() for p in v1.iterdir()} == FILES


def test_failure_in_make_leaves_nothing(tmp_path: Path) -> None:
    def make(n: int) -> dict[str, bytes]:
        raise RuntimeError(f"render failed for v{n}")

    with pytest.raises(RuntimeError):
        write_version(tmp_path, "acme", {}, make=make)
    assert not (tmp_path / "acme").exists()


@pytest.mark.parametrize("name", ["../escape.txt", "sub/file.txt", ".hidden", ""])
def test_unsafe_file_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        write_version(tmp_path, "acme", {name: b"x"})
    assert not (tmp_path / "acme").exists()
    assert not (tmp_path / "escape.txt").exists()


def test_latest_ignores_temp_and_other_folders(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    for name in ("v1", "v10", "v2", ".tmp-abc", "v0", "vx", "notes"):
        (folder / name).mkdir(parents=True)
    assert latest_version(folder) == folder / "v10"
    assert next_version(folder) == 11
