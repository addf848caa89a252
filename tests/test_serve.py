"""``newsbot serve`` as a real process: its HTTP endpoint, its start-up messages, SIGTERM, a
SIGKILL in the middle of a long digest, and a digest missed while it was down.

Each process runs with ``NEWSBOT_TEST_CLOCK`` (its clock starts at a given instant and runs at
normal speed) against a SQLite file prepared beforehand, and posts to the loopback fakes of the
Slack and Discord APIs.  Every process is killed in a ``finally``.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from tests.helpers import wait_for
from tests.helpers.chat import SECRET, sign, slack_ids, slash_body
from tests.helpers.fakes.slack_api import FakeSlack
from tests.helpers.serve import (
    DISCORD_CH,
    METRICS,
    QUICK_HANDOVER,
    SLACK_C1,
    DiscordThread,
    Serve,
    SlowDiscord,
    markers_in,
    our_failures,
    outbox,
    prepare,
    slack_parts,
)
from tests.helpers.stories import gpu_story, marker, next_nine

pytestmark = pytest.mark.slow  # real processes: seconds each

# discord.py opens its gateway at wss://gateway.discord.gg whatever the REST URL is; a process
# with a Discord token is started through this launcher so it connects to the fake instead
# (network stays on 127.0.0.1).  Everything else is `python -m bot`.


# -- helpers shared with the scale-out test ----------------------------------------------------


# -- acceptance 6: the endpoint, start-up messages, SIGTERM -----------------------------------


def test_serve_without_tokens_runs_the_scheduler_alone_and_answers_health_and_metrics(
    tmp_path: Path, procs: list[Serve]
) -> None:
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    serve = Serve(tmp_path, "alone", db_url).start()
    procs.append(serve)

    health = serve.wait_role("leader")
    assert health["status"] == "ok" and health["database"] is True
    assert "no tokens" in json.dumps(health["adapters"])
    health = wait_for(lambda: (h := serve.health()) and h["last_poll"] and h, 30, "a first poll")
    assert datetime.fromisoformat(health["last_poll"]).tzinfo is not None

    got = serve.get("/metrics")
    assert got is not None and got[0] == 200
    for name in METRICS:
        assert f"# TYPE {name}" in got[1], name
    assert "newsbot_scheduler_leader 1.0" in got[1]
    assert re.search(r"newsbot_poll_duration_seconds_count [1-9]", got[1])
    assert serve.get("/nothing-here") == (404, "404: Not Found")

    started = time.monotonic()
    assert serve.terminate() == 0
    assert time.monotonic() - started < 15
    log = serve.log()
    assert "running the scheduler alone" in log
    assert "Traceback" not in log and "stopped" in log


def test_a_slack_token_that_slack_rejects_is_named_but_never_shown(
    tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    secret = "xoxb-1111-2222-not-the-right-one"
    serve = Serve(
        tmp_path,
        "rejected",
        db_url,
        env={"SLACK_BOT_TOKEN": secret, "SLACK_API_URL": fake_slack.api_url},
    ).start()
    procs.append(serve)
    health = serve.wait_role("leader")
    assert health["adapters"] == {"slack": "token rejected"}
    assert [c.method for c in fake_slack.calls] == ["auth.test"]
    assert serve.terminate() == 0
    log = serve.log()
    assert "SLACK_BOT_TOKEN was rejected" in log
    assert secret not in log and "2222" not in log


def test_slack_out_of_reach_at_start_up_is_an_outage_not_a_rejected_token(
    tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    """Slack's API fails while serve starts: commands are still taken, /healthz says Slack is
    being retried (not that the token was rejected), and once the API answers the adapter is
    back without a restart."""
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    fake_slack.script("auth.test", status=503, times=1)  # the outage, as the process starts
    serve = Serve(
        tmp_path,
        "outage",
        db_url,
        env={
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake_slack.api_url,
        },
    ).start()
    procs.append(serve)
    health = serve.wait_role("leader")
    assert "token rejected" not in json.dumps(health["adapters"])
    body = slash_body("help", fake_slack.response_url("outage"))
    request = Request(
        f"http://127.0.0.1:{serve.port}/slack/events",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)},
    )
    with urlopen(request, timeout=10) as response:
        assert response.status == 200  # the route is there: the command is taken
    assert wait_for(lambda: fake_slack.responses("outage"), 30, "the help answer")
    back = wait_for(
        lambda: (h := serve.health()) and "retrying" not in h["adapters"]["slack"] and h,
        60,
        "the adapter back once Slack answers",
    )
    assert back["adapters"]["slack"].startswith("http")
    assert len(fake_slack.calls_to("auth.test")) >= 2  # checked again in the background
    assert serve.terminate() == 0
    log = serve.log()
    assert "starting anyway" in log and "the Slack API answers again" in log
    assert "Slack stays off" not in log and "Traceback" not in log


# -- acceptance 2: SIGKILL in the middle of a long digest --------------------------------------


def test_killed_while_posting_a_long_digest_every_item_arrives_without_duplicates(
    tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    stories = 70
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    prepare(
        db_url,
        [SLACK_C1, DISCORD_CH],
        seeds=False,
        drafts=[gpu_story(n, title_pad=8) for n in range(stories)],
    )
    nine = next_nine()
    wanted = {marker(n) for n in range(stories)}
    fake_slack.script("chat.postMessage", delay=0.5, times=50)
    slow = SlowDiscord()
    slow.post_delay = 0.4
    with DiscordThread(slow) as discord:
        env = {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_API_URL": fake_slack.api_url,
            "DISCORD_BOT_TOKEN": slow.token,
            "DISCORD_API_URL": slow.api_url,
            **QUICK_HANDOVER,  # each replacement waits out the killed one's lease and claim
        }

        def start(name: str, clock: datetime) -> Serve:
            serve = Serve(
                tmp_path, name, db_url, clock=clock, env=env, discord_gateway=discord.gateway
            )
            procs.append(serve.start())
            return serve

        # 1: killed while Slack's second message is on its way (Slack got it; newsbot never
        # heard back)
        first = start("first", nine - timedelta(seconds=1))
        wait_for(lambda: len(fake_slack.calls_to("chat.postMessage")) >= 2, 90, "slack part 2")
        first.kill()
        assert discord.messages(DISCORD_CH.channel) == []

        # 2: resumes Slack after the last confirmed part; killed while Discord's second
        # message is on its way
        second = start("second", nine + timedelta(minutes=1))
        wait_for(lambda: len(discord.messages(DISCORD_CH.channel)) >= 2, 90, "discord part 2")
        second.kill()

        # 3: resumes Discord after its last confirmed part and finishes
        third = start("third", nine + timedelta(minutes=2))
        wait_for(lambda: {r.status for r in outbox(db_url)} == {"sent"}, 90, "all sent")
        assert third.terminate() == 0
        messages = discord.messages(DISCORD_CH.channel)

    rows = outbox(db_url)
    assert [(r.kind, r.status) for r in rows] == [("digest", "sent")] * 2
    slack_total, discord_total = rows[0].parts_sent, rows[1].parts_sent
    assert slack_total >= 3 and discord_total >= 3, "a digest of several messages"

    parts = slack_parts(fake_slack, SLACK_C1.channel)
    assert sorted(parts) == list(range(slack_total)), f"every Slack part exactly once: {parts}"
    slack_seen = {m for p in fake_slack.posts(SLACK_C1.channel) for m in markers_in(json.dumps(p))}
    assert slack_seen == wanted

    assert len(messages) == discord_total, "Discord: no message twice"
    assert len({m.body["nonce"] for m in messages}) == discord_total
    discord_seen = {m for msg in messages for m in markers_in(msg.visible())}
    assert discord_seen == wanted
    for name in ("first", "second", "third"):
        assert not our_failures((tmp_path / f"{name}.log").read_text())


# -- acceptance 3 end to end: down across 09:00 ------------------------------------------------


def test_down_across_nine_then_restarted_twice_posts_the_digest_once(
    tmp_path: Path, procs: list[Serve], fake_slack: FakeSlack
) -> None:
    db_url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    prepare(db_url, [SLACK_C1, DISCORD_CH])
    nine = next_nine()
    with DiscordThread() as discord:
        env = {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_API_URL": fake_slack.api_url,
            "DISCORD_BOT_TOKEN": discord.fake.token,
            "DISCORD_API_URL": discord.fake.api_url,
            **QUICK_HANDOVER,  # the killed 08:58 replica's lease lapses sooner
        }

        def run(name: str, clock: datetime) -> Serve:
            serve = Serve(
                tmp_path, name, db_url, clock=clock, env=env, discord_gateway=discord.gateway
            )
            procs.append(serve.start())
            serve.wait_role("leader")
            return serve

        def posted() -> tuple[int, int]:
            return len(fake_slack.posts("C1")), len(discord.messages(DISCORD_CH.channel))

        early = run("0858", nine - timedelta(minutes=2))
        early.wait_runs("deliver", 2)  # it planned and delivered (nothing: it is not 09:00)
        early.kill()  # and it goes down before 09:00
        assert time.monotonic() - early.started < 110, "killed before its clock reached 09:00"
        assert posted() == (0, 0)

        # 09:10: the missed digest goes out; SIGTERM while Slack takes its time answering
        fake_slack.script("chat.postMessage", delay=2.0)
        late = run("0910", nine + timedelta(minutes=10))
        wait_for(lambda: fake_slack.calls_to("chat.postMessage"), 30, "the missed digest")
        stopping = time.monotonic()
        assert late.terminate() == 0
        assert time.monotonic() - stopping < 10
        # the post in flight was finished and recorded; Discord's turn waits in the outbox
        assert [r.status for r in outbox(db_url)] == ["sent", "pending"]
        assert posted() == (1, 0)

        again = run("0911", nine + timedelta(minutes=11))
        wait_for(lambda: posted() == (1, 1), 30, "the Discord digest")
        again.wait_runs("deliver", 2)  # it went on planning and delivering: nothing more
        assert again.terminate() == 0
        assert posted() == (1, 1)
        [post] = fake_slack.posts("C1")
        assert slack_ids(post), "the digest lists the GPU-deal stories"
    assert [r.status for r in outbox(db_url)] == ["sent", "sent"]
