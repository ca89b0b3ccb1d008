"""YAML text to plain values with PyYAML's safe loader, its C twin when PyYAML was built with libyaml.

The C loader reads the knowledge folder (about 170 files) in about a tenth of the pure-Python loader's time,
which every process that plans pays once: 0.85 s against 0.1 s here. Both build the same values.
"""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """The value of one YAML document (None when it is empty); yaml.YAMLError when it is malformed."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506  # a safe loader: SafeLoader or its C twin
