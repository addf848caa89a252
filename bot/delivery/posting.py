"""Posting a digest on demand: ``newsbot digest --post slack:CHANNEL`` / ``discord:ID``.

It takes the path of every scheduled post: an outbox row (key ``post:<hash of the destination,
topics and stories>``), then :class:`bot.delivery.sender.Sender`, with its claims, pause rules,
Retry-After and exactly-once bookkeeping.  So the same digest posted twice to the same channel
goes out once (the second time says it was delivered already); ``force`` posts it again.  A
channel the platform refused earlier is paused and is not posted to (subscribing again there
resumes it).  If the platform keeps failing for longer than ``patience`` seconds, the rest waits
in the outbox, where a running ``newsbot serve`` finishes it.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat.base import Poster
from bot.chat.posters import make_poster
from bot.core.clock import wall_now
from bot.delivery.leader import holder_id
from bot.delivery.sender import Sender
from bot.present.compose import digest_reply
from bot.present.reply import reply_to_dict
from bot.services import watches
from bot.services.digests import Digest
from bot.services.errors import UserError
from bot.store.views import Place

if TYPE_CHECKING:
    from bot.services.context import ServiceContext

PATIENCE = 300.0  # seconds a one-off post keeps retrying before leaving the rest to `serve`


def parse_target(target: str) -> Place:
    platform, sep, channel = target.partition(":")
    platform, channel = platform.lower().strip(), channel.strip()
    if not sep or platform not in ("slack", "discord") or not channel:
        raise UserError("post.bad_target", option="--post", value=repr(target[:80]))
    if platform == "discord" and not channel.isdigit():
        raise UserError("post.bad_discord_id", option="--post", value=repr(channel[:40]))
    return Place(platform, "", channel)


def target_tenant(app: ServiceContext, target: str) -> str | None:
    """Whose items a digest posted to ``target`` may carry: the known channel's workspace's
    (a channel never seen before reads only everyone's items)."""
    place = parse_target(target)
    dest = app.store.channel_destination(place.platform, place.channel)
    return (dest.place if dest is not None else place).tenant


@dataclass(slots=True)
class PostResult:
    place: Place
    status: str  # sent | already | pending | paused | dead | empty
    parts_sent: int = 0
    stories: int = 0
    reason: str | None = None  # why it is paused or dead


def post_digest(
    app: ServiceContext,
    target: str,
    digest: Digest,
    *,
    force: bool = False,
    patience: float = PATIENCE,
) -> PostResult:
    """Post ``digest`` to ``target`` through the outbox (rules in the module docstring)."""
    place = parse_target(target)
    stories = len(digest.entries)
    if not stories:
        return PostResult(place, "empty")
    poster = make_poster(place.platform, app.settings, option="--post")
    store = app.store
    dest = store.channel_destination(place.platform, place.channel) or store.destination(place)
    assert dest is not None
    place = dest.place
    ids = ",".join(str(i.id) for i in digest.items)
    topics = ",".join(s.topic for s in digest.sections)
    key = "post:" + hashlib.sha256(f"{place}|{topics}|{ids}".encode()).hexdigest()[:16]
    if force:
        key += ":" + app.clock.now().isoformat()
    existing = store.delivery(dest.id, key)
    if existing is not None and existing.status == "sent":
        return PostResult(place, "already", existing.parts_sent, stories)
    if dest.paused_at is not None:
        return PostResult(place, "paused", stories=stories, reason=dest.paused_reason)
    if existing is None:
        lang, tz = app.settings.language, app.settings.timezone
        reply = digest_reply(digest, watches.topic_set(app), tz, lang)
        payload = {"reply": reply_to_dict(reply), "items": [i.id for i in digest.items]}
        store.enqueue(dest.id, "post", key, payload, app.clock.now())
    return asyncio.run(_send(app, poster, dest.id, key, stories, patience))


async def _send(
    app: ServiceContext, poster: Poster, dest_id: int, key: str, stories: int, patience: float
) -> PostResult:
    sender = Sender(app, {poster.platform: poster}, holder=holder_id())
    deadline = asyncio.get_running_loop().time() + patience
    try:
        while True:
            row = await asyncio.to_thread(app.store.delivery, dest_id, key)
            assert row is not None
            if row.status in ("sent", "dead"):
                return PostResult(row.place, row.status, row.parts_sent, stories)
            dest = await asyncio.to_thread(app.store.destination, row.place, create=False)
            if dest is not None and dest.paused_at is not None:
                return PostResult(row.place, "paused", row.parts_sent, stories, dest.paused_reason)
            if await sender.deliver_one(row):
                continue
            wait = await asyncio.to_thread(
                app.store.delivery_wait, row.id, app.clock.now(), claims_at=wall_now()
            )
            left = deadline - asyncio.get_running_loop().time()
            if wait is None or wait > left:
                row = await asyncio.to_thread(app.store.delivery, dest_id, key)
                assert row is not None
                return PostResult(row.place, "pending", row.parts_sent, stories)
            await asyncio.sleep(max(0.05, wait))
    finally:
        await poster.close()
