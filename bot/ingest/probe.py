"""Trying a feed once before it is added: fetch it (:mod:`bot.ingest.fetch`, the network guard
applies) and parse it (:mod:`bot.ingest.rss`) as a poll would, keeping only what the person adding
it needs to hear: the feed's title and how many items it has now, or why it is no feed."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from bot.ingest.fetch import fetch
from bot.ingest.netguard import AllowPrivate
from bot.ingest.rss import parse_feed

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Probe:
    ok: bool
    items: int = 0
    title: str | None = None  # the feed's own title (untrusted text)
    error: str | None = None  # one line: why it cannot be read as a feed (or what was off)


async def probe_feed(
    url: str, *, allow_private: AllowPrivate, timeout: float, max_bytes: int
) -> Probe:
    """Fetch and parse ``url`` once; never raises.  A feed read with a warning (a malformed
    document whose items were kept) is ok, with the warning in ``error``."""
    result = await fetch(url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
    if result.error:
        return Probe(False, error=result.error)
    parsed = await asyncio.to_thread(
        parse_feed,
        result.body or b"",
        url=result.final_url or url,
        charset=result.charset,
        fetched_at=datetime.now(UTC),
    )
    if parsed.refused or (parsed.error and not parsed.entries):
        return Probe(False, title=parsed.title, error=parsed.error or "not a feed")
    return Probe(True, items=len(parsed.entries), title=parsed.title, error=parsed.error)


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to its end from blocking code: here when no event loop runs in this
    thread (the CLI, the console, a chat command in its worker thread), else in a thread of its
    own, so a loop is never blocked by a nested one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
