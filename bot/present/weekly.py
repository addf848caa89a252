"""The words and picture of a weekly report (:mod:`bot.services.weekly` collects it)."""

from __future__ import annotations

from bot.present.compose import digest_reply
from bot.present.i18n import t
from bot.present.reply import Reply
from bot.present.trends import trend_image
from bot.services.weekly import WeeklyReport


def weekly_reply(report: WeeklyReport, lang: str) -> Reply:
    """The report's top stories per topic, under the weekly title, with the trend picture."""
    reply = digest_reply(report.digest, report.shown, report.tz, lang)
    reply.title = t("weekly.title", lang)
    reply.image = trend_image(report.trend, lang)
    return reply
