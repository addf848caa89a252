"""Which addresses newsbot refuses to reach, and the httpx backend that enforces it.

Private-address guard: a feed may not make us connect to loopback, private (RFC 1918), link-local
(169.254/16, e.g. cloud metadata at 169.254.169.254), CGNAT (100.64/10), multicast, unspecified,
reserved or otherwise non-global addresses; IPv6 forms that embed an IPv4 address (mapped
``::ffff:a.b.c.d``, compatible, 6to4, Teredo, NAT64) are judged by that IPv4 address too.  Host
names written as numbers are read the way ``inet_aton`` reads them (``2130706433``, ``0x7f.1``,
``127.1``, ``017700000001``, ``0177.0.0.1``) so they cannot slip past as "names".  The allow
setting lifts the guard: ``True`` for every host, or a tuple of lower-case host names.

:class:`GuardedBackend` enforces the guard under httpx: it resolves the host itself, refuses the
connection when ANY resolved address is blocked, and connects to the vetted IP (no DNS-rebinding
gap between the check and the connect).  Refusals are plain ``httpcore.ConnectError``s, exactly
like a closed port.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Any

import httpcore

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AllowPrivate = bool | tuple[str, ...]


def _parse_inet_aton(host: str) -> ipaddress.IPv4Address | None:
    """Read ``host`` the way ``inet_aton`` does: 1 to 4 dot-separated parts, each decimal, octal
    (leading 0) or hex (0x); the last part fills the remaining bytes.  None if it is not such a
    number."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        low = part.lower()
        try:
            if low.startswith("0x"):
                value = int(low[2:] or "0", 16)
            elif len(low) > 1 and low.startswith("0"):
                value = int(low[1:], 8)
            else:
                if not low.isdigit() or not low.isascii():
                    return None
                value = int(low, 10)
        except ValueError:
            return None
        values.append(value)
    *head, last = values
    if any(v > 255 for v in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    number = last
    for index, value in enumerate(head):
        number |= value << (8 * (3 - index))
    return ipaddress.IPv4Address(number)


def parse_host_ip(host: str) -> IPAddress | None:
    """The IP address a host name spells, or None for a real name.

    Accepts bracketed or bare IPv6 (a zone ``%eth0`` is ignored) and every numeric IPv4 spelling
    ``inet_aton`` accepts; a trailing dot is ignored.
    """
    name = host.strip().strip("[]").rstrip(".")
    if not name:
        return None
    if ":" in name:
        try:
            return ipaddress.IPv6Address(name.split("%", 1)[0])
        except ValueError:
            return None
    return _parse_inet_aton(name)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    packed = ip.packed
    if packed[:12] == bytes(12) and packed[12:] not in (bytes(4), b"\x00\x00\x00\x01"):
        return ipaddress.IPv4Address(packed[12:])  # deprecated IPv4-compatible ::a.b.c.d
    if ip in _NAT64:
        return ipaddress.IPv4Address(packed[12:])
    return None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")


def is_blocked_ip(ip: IPAddress | str) -> bool:
    """True for any address a feed must not make us reach (see the module docstring)."""
    if isinstance(ip, str):
        parsed = parse_host_ip(ip)
        if parsed is None:
            return True  # not an address at all: refuse rather than guess
        ip = parsed
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and is_blocked_ip(inner):
            return True
    if (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
        or not ip.is_global
    ):
        return True
    return isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT


def normalise_host(host: str) -> str:
    """Lower-case, without brackets or a trailing dot: the form the allowlist is compared in."""
    return host.strip().strip("[]").rstrip(".").lower()


class RefusedAddress(httpcore.ConnectError):
    """The guard refused every address of a host (a connect error to httpx, like a closed
    port)."""


def host_allowed(host: str, allow_private: AllowPrivate) -> bool:
    """Whether the guard is lifted for ``host``: ``allow_private`` is True, or the host name (as
    written in the URL, case-insensitive, trailing dot ignored) is in the allow tuple."""
    if allow_private is True:
        return True
    if not allow_private:
        return False
    wanted = normalise_host(host)
    return any(normalise_host(entry) == wanted for entry in allow_private)


# --- enforcement: an httpcore backend that resolves, vets and connects to the vetted IP ------


class CannotResolve(httpcore.ConnectError):
    """The host name does not resolve (not a guard refusal)."""


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore backend that refuses non-global addresses unless the host is allowed."""

    def __init__(
        self, allow_private: AllowPrivate, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._allow = allow_private
        self._inner = inner or httpcore.AnyIOBackend()

    async def _resolve(self, host: str, port: int) -> list[IPAddress]:
        literal = parse_host_ip(host)
        if literal is not None:
            return [literal]
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError) as exc:
            raise CannotResolve(f"cannot resolve {host}") from exc
        found: list[IPAddress] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if ip not in found:
                found.append(ip)
        if not found:
            raise CannotResolve(f"cannot resolve {host}")
        return found

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port)
        if not host_allowed(host, self._allow):
            blocked = [str(ip) for ip in addresses if is_blocked_ip(ip)]
            if blocked:
                log.info("refused %s:%s: non-public address %s", host, port, ", ".join(blocked))
                raise RefusedAddress(f"refused non-public address for {host}")
        last: Exception = httpcore.ConnectError(f"cannot connect to {host}")
        for ip in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
