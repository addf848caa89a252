"""A trend as a reply: a one-line summary and the chart (:mod:`bot.present.chart`) as its image."""

from __future__ import annotations

from bot.present.chart import render_trend
from bot.present.i18n import t
from bot.present.reply import Image, Reply
from bot.services.trends import Trend


def span(trend: Trend) -> dict[str, str]:
    """The first and last day shown, as the chart's labels write them."""
    fmt = trend.day_format
    return {"first": trend.days[0].strftime(fmt), "last": trend.days[-1].strftime(fmt)}


def trend_image(trend: Trend, lang: str) -> Image:
    labels = ", ".join(s.label for s in trend.series)
    return Image(
        filename="trend.png",
        title=t("trend.chart_title", lang, topics=labels, **span(trend)),
        data=render_trend(trend, lang),
        alt=t("trend.alt", lang, topics=labels, **span(trend)),
    )


def trend_text(trend: Trend, lang: str) -> str:
    peak = ""
    if trend.peak is not None:
        day = trend.peak.day.strftime(trend.day_format)
        peak = t("trend.text_peak", lang, day=day, n=trend.peak.stories)
    parts = [f"{s.label} {s.stories}" for s in trend.series]
    text = t(
        "trend.text",
        lang,
        topics=", ".join(parts),
        stories=trend.stories,
        **span(trend),
        peak=peak,
    )
    if trend.undated:
        text += t("trend.undated", lang, n=trend.undated)
    return text


def trend_reply(trend: Trend, lang: str) -> Reply:
    """The chart for the channel (``/news trend`` is public), with its figures as text."""
    return Reply(
        title=t("trend.title", lang),
        text=trend_text(trend, lang),
        image=trend_image(trend, lang),
        ephemeral=False,
    )
