"""Acceptance 4: two ``newsbot serve`` replicas on one PostgreSQL database.

Exactly one of them is the scheduler leader (an advisory lock), so each channel gets one digest;
both answer ``/healthz`` and chat commands; when the leader is killed the other takes over
before the next digest is due, and sends it.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

import pytest

from bot.chat.slack.verify import signature
from bot.store import Place, open_store
from tests.helpers import wait_for
from tests.helpers.chat import slack_ids
from tests.helpers.fakes.slack_api import FakeSlack
from tests.helpers.serve import (
    DISCORD_CH,
    QUICK_HANDOVER,
    SLACK_C1,
    DiscordThread,
    Serve,
    our_failures,
    prepare,
)
from tests.helpers.stories import next_nine

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SLACK_C2 = Place("slack", "T1", "C2")  # subscribed from Slack while the replicas run
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def slash(serve: Serve, slack: FakeSlack, text: str, rid: str, channel: str = "C9") -> int:
    """Send a signed ``/news <text>`` from ``channel`` to ``serve`` as Slack would; the HTTP
    status of the acknowledgement (the reply goes to ``slack.response_url(rid)``)."""
    body = urlencode(
        {
            "team_id": "T1",
            "channel_id": channel,
            "user_id": "U1",
            "command": "/news",
            "text": text,
            "response_url": slack.response_url(rid),
            "trigger_id": "1.2.3",
        }
    ).encode()
    ts = str(int(time.time()))
    request = Request(
        f"http://127.0.0.1:{serve.port}/slack/events",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(SECRET, ts, body),
        },
    )
    with urlopen(request, timeout=10) as response:
        return int(response.status)


def test_two_replicas_one_leader_one_digest_per_channel_and_takeover(
    pg_url: str, tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    prepare(pg_url, [SLACK_C1, DISCORD_CH])
    nine = next_nine()
    start_at = nine + timedelta(seconds=25)  # the 09:00 digests are due at once
    with DiscordThread() as discord:
        env = {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake_slack.api_url,
            "DISCORD_BOT_TOKEN": discord.fake.token,
            "DISCORD_API_URL": discord.fake.api_url,
            **QUICK_HANDOVER,  # the follower tries for the lock every second
        }
        replicas = [
            Serve(tmp_path, name, pg_url, clock=start_at, env=env, discord_gateway=discord.gateway)
            for name in ("a", "b")
        ]
        for replica in replicas:
            procs.append(replica.start())
        launched = time.monotonic()

        def clock_now() -> datetime:
            """An upper bound of the replicas' clocks (they started after ``launched``)."""
            return start_at + timedelta(seconds=time.monotonic() - launched)

        def roles() -> list[str | None]:
            return [r.role() for r in replicas]

        wait_for(lambda: sorted(map(str, roles())) == ["follower", "leader"], 180, "one leader")
        [leader] = [r for r in replicas if r.role() == "leader"]
        [follower] = [r for r in replicas if r is not leader]

        def posted() -> tuple[int, int, int]:
            return (
                len(fake_slack.posts("C1")),
                len(discord.messages(DISCORD_CH.channel)),
                len(fake_slack.posts("C2")),
            )

        wait_for(lambda: posted() == (1, 1, 0), 30, "the 09:00 digests")
        assert (leader.role(), follower.role()) == ("leader", "follower"), "leadership is stable"

        # every replica answers chat commands, the follower included: a search on each, and
        # on the follower a subscription for the next whole minute at least 15 s away
        for rid, replica in (("a", replicas[0]), ("b", replicas[1])):
            assert slash(replica, fake_slack, "search 엔비디아", rid) == 200
        due = (clock_now() + timedelta(seconds=15 + 60)).replace(second=0, microsecond=0)
        hhmm = due.astimezone(ZoneInfo("Asia/Seoul")).strftime("%H:%M")
        assert slash(follower, fake_slack, f"subscribe gpu_deal at {hhmm}", "sub", "C2") == 200
        wait_for(lambda: all(fake_slack.responses(r) for r in ("a", "b", "sub")), 30, "replies")
        for rid in ("a", "b"):
            assert "엔비디아" in json.dumps(fake_slack.responses(rid), ensure_ascii=False)
        store = open_store(pg_url, migrate=False)
        try:
            [sub] = store.subscriptions(SLACK_C2)
        finally:
            store.close()
        assert (sub.topic, sub.digest_time) == ("gpu_deal", hhmm)

        # the leader dies; the follower takes over before that minute and sends its digest
        leader.kill()
        killed = time.monotonic()
        follower.wait_role("leader", timeout=15)
        assert time.monotonic() - killed < 12
        assert clock_now() < due, "took over before the next digest was due"
        wait_for(lambda: posted()[2] == 1, 90, f"the {hhmm} digest")
        follower.wait_runs("deliver", 2)  # and nothing more after it
        assert follower.terminate() == 0

    assert posted() == (1, 1, 1)
    assert slack_ids(fake_slack.posts("C2")[0]) == slack_ids(fake_slack.posts("C1")[0])
    for replica in replicas:
        assert not our_failures(replica.log())
