"""Static SVG / PNG and self-contained interactive HTML of a chart, through vl-convert (no browser needed)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

SIGNIFICANT_DIGITS = 12
_DATASET_NAME = re.compile(r"^data-[0-9a-f]{32}$")


def _spec(chart) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict()


def to_svg(chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_spec(chart))


def to_png(chart, scale: float = 2.0) -> bytes:
    """PNG at `scale` x the chart's pixel size (2 = sharp when printed at the text width of an A4 page)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """PNG of an already rendered SVG: the same pixels as `to_png`, without running Vega a second time."""
    import vl_convert as vlc

    return vlc.svg_to_png(svg, scale=scale)


def to_html(chart) -> str:
    """A standalone HTML page with tooltips; Vega's JavaScript is bundled in, so it works offline."""
    import vl_convert as vlc

    return vlc.vegalite_to_html(_spec(chart), bundle=True)


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def stable_spec(spec: dict) -> dict:
    """The spec with every float rounded to 12 significant digits and its datasets named after their values.

    DuckDB sums in parallel, so the same raw data can give marts that differ in the 15th digit from one
    refresh to the next. No chart can show that, but it changed Altair's dataset names (hashes of the
    values) and with them every spec, so an unchanged chart never matched its rendering of last time.
    """
    rounded = _rounded(spec)
    datasets = rounded.get("datasets")
    if not datasets or not all(_DATASET_NAME.match(name) for name in datasets):
        return rounded
    text = json.dumps(rounded, sort_keys=True)
    for name, values in datasets.items():
        digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]
        text = text.replace(f'"{name}"', f'"data-{digest}"')
    return json.loads(text)


class RenderCache:
    """Renderings on disk, addressed by what made them (spec, format, options, vl-convert's version).

    A refresh after a small change redraws only the charts whose data changed; the others are read back.
    Writes go through a temporary file and a rename, so brief workers may share the folder.
    """

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder is not None else None
        self.hits = 0
        self.misses = 0

    def _path(self, kind: str, spec: dict, options: dict) -> Path:
        import vl_convert as vlc

        assert self.folder is not None
        key = json.dumps([kind, options, vlc.__version__, spec], sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / digest[:2] / f"{digest}.{kind}"

    def _get(self, kind: str, spec: dict, options: dict, render: Callable[[], bytes]) -> bytes:
        if self.folder is None:
            self.misses += 1
            return render()
        path = self._path(kind, spec, options)
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            pass
        else:
            self.hits += 1
            os.utime(path)  # marks it used by this build (see prune)
            return content
        self.misses += 1
        content = render()
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
        return content

    def svg(self, spec: dict) -> str:
        return self._get("svg", spec, {}, lambda: to_svg(spec).encode()).decode()

    def png(self, spec: dict, svg: str, scale: float) -> bytes:
        # Keyed on the spec, not the SVG: the SVG is rendered from it.
        return self._get("png", spec, {"scale": scale}, lambda: svg_to_png(svg, scale))

    def html(self, spec: dict) -> str:
        return self._get("html", spec, {"bundle": True}, lambda: to_html(spec).encode()).decode()

    def prune(self, build_started: float) -> int:
        """Remove the renderings a build that began at `build_started` (time.time()) did not use."""
        if self.folder is None or not self.folder.exists():
            return 0
        removed = 0
        for path in self.folder.glob("*/*"):
            # Two seconds of slack for file systems with coarse timestamps.
            if path.stat().st_mtime < build_started - 2.0:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
