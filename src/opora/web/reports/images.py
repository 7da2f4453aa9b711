"""Charts in documents: the pages' own Vega-Lite specs (``opora.web.charts``) rendered to PNG by
vl-convert, offline.

Nothing is fetched: ``allowed_base_urls=[]`` refuses any URL a spec might name, and the text is
drawn with a font found on this machine — Debian's DejaVu (package ``fonts-dejavu-core``, present
wherever Chromium or fontconfig is), registered with ``vl_convert.register_font_directory`` and
named in the chart's config, so Cyrillic never falls back to boxes. ``OPORA_REPORT_FONT_DIR``
names another directory (a TTF with Cyrillic) where DejaVu is absent.
"""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import vl_convert as vlc

from opora.web.charts.base import RU_NUMBER_LOCALE, RU_TIME_LOCALE

FONT_FAMILY = "DejaVu Sans"
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/share/fonts/TTF", "/usr/share/fonts")


class NoFontError(RuntimeError):
    """No font with Cyrillic letters: charts would print boxes instead of Russian words."""


@lru_cache(maxsize=1)
def font_directory() -> str:
    """Register the directory holding DejaVu Sans with vl-convert (once per process)."""
    candidates = [os.environ.get("OPORA_REPORT_FONT_DIR", ""), *_FONT_DIRS]
    for folder in filter(None, candidates):
        path = Path(folder)
        if path.is_dir() and any(path.rglob("DejaVuSans.ttf")):
            vlc.register_font_directory(str(path))
            return str(path)
    raise NoFontError("Не найден шрифт DejaVu Sans для подписей диаграмм: установите пакет "
                      "fonts-dejavu-core или укажите папку шрифта в OPORA_REPORT_FONT_DIR.")


def chart_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    """The PNG of one chart spec, its text in DejaVu Sans and Russian number formats."""
    font_directory()
    spec = copy.deepcopy(spec)
    config = spec.setdefault("config", {})
    config["font"] = FONT_FAMILY
    for part in ("title", "axis", "legend", "header", "text", "mark"):
        config.setdefault(part, {})
    config["title"].update({"font": FONT_FAMILY})
    config["axis"].update({"labelFont": FONT_FAMILY, "titleFont": FONT_FAMILY})
    config["legend"].update({"labelFont": FONT_FAMILY, "titleFont": FONT_FAMILY})
    config["header"].update({"labelFont": FONT_FAMILY, "titleFont": FONT_FAMILY})
    config["mark"].update({"font": FONT_FAMILY})
    config.pop("locale", None)  # given to vl-convert below, which knows its own form
    return bytes(vlc.vegalite_to_png(spec, scale=scale, allowed_base_urls=[],
                                     format_locale=RU_NUMBER_LOCALE,
                                     time_format_locale=RU_TIME_LOCALE))
