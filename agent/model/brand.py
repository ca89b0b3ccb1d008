"""An agency's branding for the client documents (`--brand FILE`): name, logo, colour, credit line, cover note.

The file is YAML or JSON, read with the same bounded parser as a brief, and every problem is one
`BriefError` line (`<file>: <field>: <what>`). A logo path is read relative to the brand file; only PNG and
JPEG logos are accepted (they embed in HTML, DOCX and PDF alike), and at most `MAX_LOGO_BYTES`.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.model.brief_io import BriefError, describe_error, read_brief_data

MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_KINDS: dict[bytes, Literal["png", "jpeg"]] = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


class Brand(BaseModel):
    """How an agency's documents look and who they say prepared them."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency: str = Field(min_length=1, max_length=120, description="Agency name, shown on the cover and in footers.")
    logo: str | None = Field(None, max_length=500, description="Path to a PNG or JPEG logo, relative to the file.")
    colour: str = Field(
        "#1f4e79", pattern=r"^#[0-9a-fA-F]{6}$", description="Primary colour as #RRGGBB (headings, tables, charts)."
    )
    prepared_for: str | None = Field(None, max_length=200, description="e.g. 'Prepared for Rosa Martinez'.")
    prepared_by: str | None = Field(None, max_length=200, description="e.g. 'Prepared by Dana Lee, Northside Social'.")
    cover_note: str | None = Field(None, max_length=2000, description="A short note shown before the plan.")


class LoadedBrand(BaseModel):
    """A Brand with its logo read: what rendering needs (no file access after loading)."""

    brand: Brand
    logo_bytes: bytes | None = None
    logo_kind: Literal["png", "jpeg"] | None = None

    @property
    def colour(self) -> str:
        return self.brand.colour

    def logo_data_uri(self) -> str | None:
        """The logo as a data: URI for HTML and PDF (None without a logo)."""
        if self.logo_bytes is None or self.logo_kind is None:
            return None
        return f"data:image/{self.logo_kind};base64," + base64.b64encode(self.logo_bytes).decode("ascii")


def load_brand(path: Path) -> LoadedBrand:
    """The brand file at `path`, validated, with its logo read; any problem is one BriefError."""
    data = read_brief_data(path)
    try:
        brand = Brand.model_validate(data)
    except ValidationError as exc:
        field, message = describe_error(exc)
        raise BriefError(str(path), field, message) from None
    if brand.logo is None:
        return LoadedBrand(brand=brand)
    logo_path = (path.parent / brand.logo).resolve()
    try:
        with logo_path.open("rb") as handle:
            logo = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise BriefError(str(path), "logo", f"cannot read {brand.logo} ({exc.strerror or exc})") from None
    if len(logo) > MAX_LOGO_BYTES:
        raise BriefError(str(path), "logo", f"{brand.logo} is larger than 2 MB")
    kind = next((k for magic, k in LOGO_KINDS.items() if logo.startswith(magic)), None)
    if kind is None:
        raise BriefError(str(path), "logo", f"{brand.logo} is not a PNG or JPEG image")
    return LoadedBrand(brand=brand, logo_bytes=logo, logo_kind=kind)
