"""The trend picture: a PNG line chart of stories a day per topic, drawn with matplotlib (Agg).

* Korean renders with **NanumGothic from the koreanize-matplotlib package** (:func:`font_path`),
  never a system font, so a machine without Korean fonts (or with another NanumGothic) draws the
  same picture.  The package's module is not imported (importing it changes matplotlib's global
  settings); every text of the chart is given that font file itself (``FontProperties(fname=…)``),
  never looked up by family name.  Tick labels are digits, in matplotlib's own DejaVu Sans.
* Text from feeds (titles, outlet names) is drawn literally: ``text.parse_math`` is off, so a
  ``$`` in a title is a dollar sign, not TeX.
* One line per topic; the biggest day is marked with its count and its most reported story; the
  top outlets are listed under the chart.  Lines never hide each other: each is drawn a few
  points above or below its true height (:data:`OFFSET_POINTS`, a shift on the screen, not in the
  data) with its own marker, so topics with the same counts run side by side (APEC stays visible
  under GPU deals).  Undated stories are not drawn; a note under the chart counts them.  :data:`SIZE` inches at :data:`DPI`: 1200 × 600 px.
"""

from __future__ import annotations

import importlib.util
import io
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.present.i18n import t

if TYPE_CHECKING:
    from bot.services.trends import Trend

FONT_PACKAGE = "koreanize_matplotlib"
FONT_FILE = "NanumGothic.ttf"
SIZE = (12.0, 6.0)
DPI = 100
TITLE_CHARS = 40
COLOURS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
OFFSET_POINTS = 4.0  # between neighbouring lines, on the screen
_LOCK = threading.Lock()  # matplotlib's rc settings are global: one drawing at a time


def font_path() -> Path:
    """NanumGothic as shipped by koreanize-matplotlib (found without importing the package)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("koreanize-matplotlib is not installed: no Korean font for charts")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE
    if not path.is_file():
        raise RuntimeError(f"koreanize-matplotlib has no {FONT_FILE}")
    return path


@lru_cache(maxsize=1)
def font_properties() -> Any:
    """The chart's font: the packaged file itself (a ``matplotlib.font_manager.FontProperties``)."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=str(font_path()))


def _font(size: float) -> Any:
    found = font_properties().copy()
    found.set_size(size)
    return found


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_trend(trend: Trend, lang: str = "ko") -> bytes:
    """The PNG of ``trend`` (rules in the module docstring)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import dates as mdates
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import offset_copy

    settings: dict[Any, Any] = {
        "font.family": ["DejaVu Sans"],  # the digits of the ticks; every text gets _font()
        "axes.unicode_minus": False,
        "text.parse_math": False,
    }
    fmt = trend.day_format
    with _LOCK, rc_context(settings):
        fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
        ax = fig.add_subplot()
        days = mdates.date2num(trend.days)
        middle = (len(trend.series) - 1) / 2
        for n, series in enumerate(trend.series):
            [line] = ax.plot(
                days,
                series.counts,
                marker=MARKERS[n % len(MARKERS)],
                markersize=4,
                linewidth=1.8,
                color=COLOURS[n % len(COLOURS)],
                label=t("trend.legend", lang, topic=series.label, stories=series.stories),
            )  # plotted in data units first, so the axes' limits take it in
            line.set_transform(
                offset_copy(ax.transData, fig=fig, y=(n - middle) * OFFSET_POINTS, units="points")
            )
        labels = ", ".join(s.label for s in trend.series)
        ax.set_title(
            t(
                "trend.chart_title",
                lang,
                topics=shorten(labels, 60),
                first=trend.days[0].strftime(fmt),
                last=trend.days[-1].strftime(fmt),
            ),
            loc="left",
            fontproperties=_font(14),
        )
        ax.set_ylabel(t("trend.y_label", lang), fontproperties=_font(10))
        highest = max((max(s.counts, default=0) for s in trend.series), default=0)
        ax.set_ylim(0, max(highest, 1) * 1.3)  # room above the top line for the peak's label
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))
        ax.grid(True, alpha=0.3)
        if trend.series:
            ax.legend(loc="upper left", prop=_font(9))
        peak = trend.peak
        if peak is not None and peak.stories and peak.day in trend.days:
            ax.annotate(
                t(
                    "trend.peak",
                    lang,
                    day=peak.day.strftime(fmt),
                    stories=peak.stories,
                    title=shorten(peak.title),
                ),
                xy=(
                    mdates.date2num(peak.day),
                    max(s.counts[trend.days.index(peak.day)] for s in trend.series),
                ),
                xytext=(0.55, 0.92),
                textcoords="axes fraction",
                fontproperties=_font(9),
                arrowprops={"arrowstyle": "->", "color": "#57606a"},
                bbox={"boxstyle": "round", "fc": "#fff8c5", "ec": "#d4a72c"},
            )
        notes = []
        if trend.outlets:
            outlets = ", ".join(f"{shorten(name, 20)} {n}" for name, n in trend.outlets)
            notes.append(t("trend.outlets", lang, outlets=outlets))
        if trend.undated:
            notes.append(t("trend.undated_note", lang, n=trend.undated))
        if notes:
            fig.supxlabel(
                "  ·  ".join(notes),
                x=0.01,
                ha="left",
                fontproperties=_font(9),
            )
        elif not trend.stories:
            ax.text(
                0.5,
                0.5,
                t("trend.empty", lang),
                transform=ax.transAxes,
                ha="center",
                fontproperties=_font(12),
            )
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
