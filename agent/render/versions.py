"""Client folders and numbered versions: `<out>/<client-slug>/v<N>/`, written atomically.

A version is written into a hidden temporary folder inside the client folder, every file and the
folder are fsynced, and only then is the folder renamed to `v<N>`. An existing version is never
touched: if `v<N>` appears meanwhile (another process), the next number is used, and the files are
rebuilt for it when the caller gave a `make` callback (plan.json holds the version number). On any
error the temporary folder is removed, so a half-written version is never left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path

from anyascii import anyascii

from agent.model.plan_io import versions

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_APOSTROPHES = re.compile(r"['’`]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
TEMP_PREFIX = ".tmp-"
MAX_SLUG = 60
MAX_ATTEMPTS = 100

Files = Mapping[str, bytes]


def slugify(name: str) -> str:
    """ASCII, lowercase, words joined by hyphens, any script transliterated (anyascii): 'Café Déjà Vu!' ->
    'cafe-deja-vu', 'Кофейня Москва' -> 'kofeynya-moskva'; a name with nothing to keep gets 'client-<hash>'."""
    ascii_text = anyascii(_APOSTROPHES.sub("", unicodedata.normalize("NFKC", name)))
    slug = _NOT_SLUG.sub("-", re.sub(r":[a-z0-9_+-]+:", " ", ascii_text).lower()).strip("-")
    slug = slug[:MAX_SLUG].rstrip("-")
    return slug or f"client-{client_id(name)[:6]}"


def client_id(name: str) -> str:
    """A stable id for a business: a hash of its name (Unicode-normalised, case and spacing folded)."""
    key = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def client_slug(out_root: Path, name: str, identity: str) -> str:
    """The folder slug for client `identity` named `name`: its slug, unless that folder holds another
    client's plans, then the slug with a short hash of the identity (which is never someone else's)."""
    slug = slugify(name)
    owner = folder_owner(Path(out_root) / slug)
    return slug if owner in (None, identity) else f"{slug[: MAX_SLUG - 7]}-{identity[:6]}"


def folder_owner(folder: Path) -> str | None:
    """The client id of a client folder's latest plan (from its business name for plans made before ids
    were stored); None for a new or empty folder."""
    numbers = versions(folder)
    if not numbers:
        return None
    try:
        data = json.loads((folder / f"v{max(numbers)}" / "plan.json").read_text(encoding="utf-8"))
        return str(data.get("client_id") or client_id(data["brief"]["business"]["name"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def client_dir(out_root: Path, slug: str) -> Path:
    """The folder holding every version of one client."""
    if not SLUG.fullmatch(slug):
        raise ValueError(f"not a client slug: {slug!r} (use slugify)")
    return Path(out_root) / slug


def next_version(folder: Path) -> int:
    """1 + the highest existing v<N> (1 for a new client)."""
    return max(versions(folder, links=True), default=0) + 1


def write_version(
    out_root: Path,
    slug: str,
    files: Files,
    make: Callable[[int], Files] | None = None,
) -> Path:
    """Write a new version folder atomically and return its path.

    `make(n)`, when given, builds the files for version `n` and is used instead of `files`.
    """
    folder = client_dir(out_root, slug)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=folder))
    try:
        temp.chmod(0o755)
        return _publish(folder, temp, files, make)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _publish(folder: Path, temp: Path, files: Files, make: Callable[[int], Files] | None) -> Path:
    number = next_version(folder)
    written: int | None = None
    for _ in range(MAX_ATTEMPTS):
        if written != number and (make is not None or written is None):
            _fill(temp, make(number) if make is not None else files)
            written = number
        target = folder / f"v{number}"
        if not target.exists():
            try:
                temp.rename(target)
            except OSError:
                if not target.exists():
                    raise
            else:
                _fsync_dir(folder)
                return target
        number = max(number + 1, next_version(folder))
    raise FileExistsError(f"no free version number in {folder} after {MAX_ATTEMPTS} attempts")


def _fill(temp: Path, files: Files) -> None:
    """Replace the temporary folder's contents with `files`, each fsynced."""
    for old in temp.iterdir():
        old.unlink()
    for name, data in files.items():
        if not SAFE_FILE.fullmatch(name):
            raise ValueError(f"unsafe file name in a version: {name!r}")
        if not isinstance(data, bytes | bytearray):
            raise TypeError(f"{name}: expected bytes, got {type(data).__name__}")
        with open(temp / name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    _fsync_dir(temp)


def _fsync_dir(path: Path) -> None:
    """Flush a folder's entries to disk (a no-op where folders cannot be opened, e.g. Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
