"""Where the charts' font lives: DejaVu Sans as shipped with matplotlib (a dependency), else the system's copy.

The file is found without importing matplotlib, so drawing a chart costs no matplotlib start-up. Nothing is
downloaded: when neither copy exists, `font_file` says which files it looked for.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

SYSTEM = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"), Path("/usr/share/fonts/dejavu"))


@cache
def font_file(bold: bool = False) -> Path:
    """DejaVuSans.ttf (or DejaVuSans-Bold.ttf): matplotlib's copy first, so every machine measures text alike."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    spec = importlib.util.find_spec("matplotlib")
    folders = [Path(place) / "mpl-data" / "fonts" / "ttf" for place in (spec.submodule_search_locations or [])] \
        if spec else []
    for folder in [*folders, *SYSTEM]:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"no {name} in {', '.join(str(f) for f in [*folders, *SYSTEM])}")
