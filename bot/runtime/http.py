"""The HTTP listener of ``serve`` (``/healthz``, ``/metrics``, ``/slack/events``), hardened.

- It listens on ``NEWSBOT_HTTP_HOST`` (127.0.0.1 unless told otherwise; the compose file says
  0.0.0.0 inside its container).
- A connection must send a whole request head within :data:`HEADER_TIMEOUT` seconds of opening
  (or of its previous response), else it is closed: aiohttp's keep-alive timer closes a
  connection that is idle *or* has sent only part of a request, and it is not extended by
  trickled bytes, so slow-loris connections go.  Bodies are read with a deadline by the handlers
  that read them (:data:`bot.core.http.BODY_TIMEOUT`, ``/slack/events``).
- At most :data:`MAX_CONNECTIONS` connections at once; one more is closed as soon as it is
  accepted (a flood cannot starve the event loop or the file descriptors).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

HEADER_TIMEOUT = 10.0
MAX_CONNECTIONS = 256


class _Refuse(asyncio.Protocol):
    """What a connection over the cap gets: closed at once."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.close()


class Listener:
    def __init__(
        self, app: web.Application, host: str, port: int, max_connections: int = MAX_CONNECTIONS
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.max_connections = max_connections
        self.refused = 0
        self._runner = web.AppRunner(app, access_log=None, keepalive_timeout=HEADER_TIMEOUT)
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        await self._runner.setup()
        handler_factory = self._runner.server
        assert handler_factory is not None

        def factory() -> Any:
            if len(handler_factory.connections) >= self.max_connections:
                self.refused += 1
                if self.refused == 1 or self.refused % 1000 == 0:
                    log.warning(
                        "http: %d connections open; refusing more (%d refused so far)",
                        self.max_connections,
                        self.refused,
                    )
                return _Refuse()
            return handler_factory()

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(factory, self.host, self.port, reuse_address=True)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._runner.cleanup()
