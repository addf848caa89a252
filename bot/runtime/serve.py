"""``newsbot serve``: one asyncio process with the chat adapters whose tokens are set, the
scheduler, and an HTTP endpoint (``/healthz``, ``/metrics``, and ``/slack/events`` in Slack HTTP
mode) on ``NEWSBOT_HTTP_PORT``.

Start-up: load the Korean model on a thread while the database is migrated and the Slack token
checked (a rejected token is reported by its variable's name, never its value, and that adapter
stays off; a chat API that cannot be reached is an outage: Slack starts anyway, and Discord and
Socket Mode connect, once it answers, from a background task that tries again after 5 s, then
twice as long each time up to five minutes); when the model is loaded, connect to Discord's
gateway and open the port.  The model
loads *before* the port opens because kiwi builds it holding the GIL for seconds (``Kiwi()``;
its first analysis, the other half of the load, lets other threads run): loaded behind an open
port, it froze the event loop, and a command or ``/healthz`` arriving then waited for it
(measured: 4-14 s, past Slack's 3 s).  So once the port accepts a connection every request is answered at once (a
load balancer's health check sees nothing until then, which is what a replica still starting
should look like).  Articles left unanalysed (the topics file changed) are analysed after the
port opens, in a thread.  SIGTERM / SIGINT: stop taking work, let a delivery in flight finish,
give up leadership, close.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from typing import Any

from aiohttp import web

from bot.chat.base import Poster
from bot.chat.commands import Commands
from bot.chat.posters import make_poster
from bot.core import metrics
from bot.core.logcause import cause
from bot.core.redact import redact_url
from bot.delivery.leader import leadership_for
from bot.delivery.scheduler import Scheduler
from bot.ingest.poller import Poller
from bot.runtime.http import Listener
from bot.services.context import ServiceContext

log = logging.getLogger(__name__)

HEALTH_DEADLINE = 0.8  # seconds /healthz waits for the database
RETRY_FIRST, RETRY_MOST = 5.0, 300.0  # seconds between tries to reach a chat API at start-up


async def _until(attempt: Any) -> None:
    """Await ``attempt()`` until it returns True, pausing 5 s, then twice as long each time,
    at most five minutes: a chat API that cannot be reached at start-up is an outage, not a
    verdict on the token."""
    pause = RETRY_FIRST
    while not await attempt():
        await asyncio.sleep(pause)
        pause = min(pause * 2, RETRY_MOST)


class Service:
    def __init__(
        self, app: ServiceContext, host: str | None = None, port: int | None = None
    ) -> None:
        self.app = app
        self.clock = app.clock
        self.host = host or app.settings.http_host
        self.port = port or app.settings.http_port
        self.adapters: dict[str, str] = {}
        self.posters: dict[str, Poster] = {}
        self._closers: list[Any] = []
        self._tasks: list[asyncio.Task[Any]] = []
        self.scheduler: Scheduler | None = None

    # -- HTTP --------------------------------------------------------------------------------

    async def healthz(self, _request: web.Request) -> web.Response:
        """Always answers within about :data:`HEALTH_DEADLINE`: a database that does not answer
        in time is reported ``busy`` (200: the process is fine); one that fails, 503."""
        try:
            async with asyncio.timeout(HEALTH_DEADLINE):
                db_ok: bool | str = await asyncio.to_thread(self.app.store.ping)
        except TimeoutError:
            db_ok = "busy"
        sched = self.scheduler
        body = {
            "status": "ok" if db_ok else "unavailable",
            "database": db_ok,
            "scheduler": sched.role if sched else "starting",
            "last_poll": sched.last_poll.isoformat() if sched and sched.last_poll else None,
            "runs": dict(sched.runs) if sched else {},
            "adapters": self.adapters or {"chat": "none (no tokens set)"},
        }
        return web.Response(
            text=json.dumps(body), status=200 if db_ok else 503, content_type="application/json"
        )

    async def metrics(self, _request: web.Request) -> web.Response:
        try:  # counted by the database (GROUP BY); a busy database leaves the last figure
            async with asyncio.timeout(HEALTH_DEADLINE):
                counts = await asyncio.to_thread(self.app.store.outbox_counts)
            metrics.OUTBOX_PENDING.set(counts.get("pending", 0))
        except TimeoutError:
            pass
        return web.Response(
            body=metrics.exposition(),
            headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"},
        )

    # -- adapters ----------------------------------------------------------------------------

    async def start_slack(self, web_app: web.Application, commands: Commands) -> None:
        from bot.chat.slack.adapter import SlackTokenError, build_bolt_app, check_token
        from bot.chat.slack.routes import add_slack_routes

        settings = self.app.settings
        unreachable: SlackTokenError | None = None
        try:
            await check_token(settings)
        except SlackTokenError as exc:
            if not exc.temporary:
                log.error("slack: %s; Slack stays off", exc)
                self.adapters["slack"] = "token rejected"
                return
            unreachable = exc  # an outage: start anyway, the outbox waits for the API
        bolt = build_bolt_app(self.app, commands)
        if settings.slack_app_token:
            self.adapters["slack"] = "socket mode (connecting)"
            self._tasks.append(
                asyncio.create_task(self._socket_mode(bolt, settings.slack_app_token), name="slack")
            )
        elif settings.slack_signing_secret:
            add_slack_routes(web_app, bolt)
            self.adapters["slack"] = f"http :{self.port}/slack/events"
        else:
            log.error(
                "slack: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket "
                "Mode) to receive /news; posting digests still works"
            )
            self.adapters["slack"] = "posting only"
        poster = make_poster("slack", settings)
        self.posters["slack"] = poster
        self._closers.append(poster.close)
        if unreachable is not None:
            log.warning("slack: %s; starting anyway, checking again in the background", unreachable)
            mode = self.adapters["slack"]
            self.adapters["slack"] = f"{mode} (Slack API unreachable, retrying)"
            self._tasks.append(asyncio.create_task(self._recheck_slack(mode), name="slack-check"))

    async def _recheck_slack(self, mode: str) -> None:
        """``auth.test`` again, with growing pauses, until Slack answers: then the adapter's
        status is ``mode`` again; a token Slack now rejects is said once and left so."""
        from bot.chat.slack.adapter import SlackTokenError, check_token

        async def attempt() -> bool:
            try:
                await check_token(self.app.settings)
            except SlackTokenError as exc:
                if exc.temporary:
                    return False
                log.error("slack: %s; deliveries to Slack fail until it is fixed", exc)
                self.adapters["slack"] = "token rejected"
                return True
            log.info("slack: the Slack API answers again")
            if "retrying" in self.adapters.get("slack", ""):
                self.adapters["slack"] = mode
            return True

        await _until(attempt)

    async def _socket_mode(self, bolt: Any, app_token: str) -> None:
        """Connect over Socket Mode, trying again with growing pauses while Slack cannot be
        reached; a rejected app token is said once and leaves the commands off."""
        from bot.chat.slack.adapter import SlackTokenError, start_socket_mode

        async def attempt() -> bool:
            try:
                handler = await start_socket_mode(bolt, app_token)
            except SlackTokenError as exc:
                if exc.temporary:
                    log.warning("slack: %s; Socket Mode tries again", exc)
                    self.adapters["slack"] = "socket mode (Slack unreachable, retrying)"
                    return False
                log.error("slack: %s; Slack commands stay off", exc)
                self.adapters["slack"] = "app token rejected"
                return True
            self._closers.append(handler.close_async)
            self.adapters["slack"] = "socket mode"
            return True

        await _until(attempt)

    async def start_discord(self, commands: Commands) -> None:
        from bot.chat.base import DeliveryError
        from bot.chat.discord.adapter import check_token

        async def attempt() -> bool:
            try:
                who = await check_token(self.app.settings)
            except DeliveryError as exc:
                log.error("discord: %s; Discord stays off", exc.reason)
                self.adapters["discord"] = "token rejected"
                return True
            except Exception as exc:
                log.warning(
                    "discord: cannot reach Discord (%s); trying again in the background",
                    exc.__class__.__name__,
                )
                self.adapters["discord"] = "unreachable (retrying)"
                return False
            self.adapters["discord"] = f"bot {who}"
            poster = make_poster("discord", self.app.settings)
            self.posters["discord"] = poster
            if self.scheduler is not None:  # reached after start-up: the sender has its copy
                self.scheduler.sender.posters["discord"] = poster
            self._closers.append(poster.close)
            self._tasks.append(asyncio.create_task(self._run_discord(commands), name="discord"))
            return True

        if not await attempt():
            self._tasks.append(asyncio.create_task(_until(attempt), name="discord-check"))

    async def _run_discord(self, commands: Commands) -> None:
        from bot.chat.discord.adapter import run_discord

        try:
            await run_discord(self.app, commands)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("discord: the gateway connection ended: %s", cause(exc))
            self.adapters["discord"] = "disconnected (posting still works)"

    # -- run ---------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> int:
        settings = self.app.settings
        # the model loads before anything listens (see the module docstring), beside the
        # database's migrations and the Slack token check
        model = asyncio.create_task(asyncio.to_thread(lambda: self.app.analyser))
        store = await asyncio.to_thread(lambda: self.app.store)  # opens and migrates
        log.info("database %s ready", redact_url(settings.database_url))
        commands = Commands(self.app)
        web_app = web.Application()
        web_app.router.add_get("/healthz", self.healthz)
        web_app.router.add_get("/metrics", self.metrics)
        if settings.slack_bot_token:
            await self.start_slack(web_app, commands)
        await model
        pipeline = await asyncio.to_thread(lambda: self.app.pipeline)
        log.info("Korean model loaded")
        if settings.discord_bot_token:
            await self.start_discord(commands)
        if not settings.slack_bot_token and not settings.discord_bot_token:
            log.warning(
                "no chat tokens set (SLACK_BOT_TOKEN, DISCORD_BOT_TOKEN): running the "
                "scheduler alone"
            )
        listener = Listener(web_app, self.host, self.port)
        await listener.start()
        log.info("listening on %s:%d (/healthz, /metrics)", self.host, self.port)
        await asyncio.to_thread(pipeline.process_pending)  # e.g. after the topics file changed
        if not stop.is_set():
            poller = Poller(store, settings)
            leadership = leadership_for(store, settings)
            self.scheduler = Scheduler(self.app, leadership, poller, self.posters)
            self.scheduler.start()
            log.info("scheduler started")
            await stop.wait()
        log.info("stopping: finishing the delivery in flight")
        if self.scheduler is not None:
            await self.scheduler.shutdown()
        for task in self._tasks:
            task.cancel()
        for close in reversed(self._closers):
            with contextlib.suppress(Exception):
                await close()
        await listener.close()
        log.info("stopped")
        return 0


def run_serve(app: ServiceContext, port: int | None = None) -> int:
    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        return await Service(app, port=port).run(stop)

    return asyncio.run(main())
