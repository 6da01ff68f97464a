"""Which addresses a feed may point at: the public internet only, unless the config says so.

A feed URL (configured, or added with /addfeed) or any redirect it sends could otherwise make
the bot fetch from loopback, the private network or a cloud metadata address (SSRF). Two
checks, both needed:

* :meth:`AddressPolicy.check_url` on the first request and on every redirect, for a host
  written as an IP address (aiohttp never resolves those);
* :class:`GuardedResolver`, the HTTP session's resolver, on every name *after* DNS
  resolution, so a public-looking name that resolves to ``127.0.0.1`` is refused too, and on
  the very address that is then connected to.

``[polling] allowed_networks`` (CIDR list, default empty) lets chosen non-public networks
through, e.g. an RSS bridge on the LAN; the tests allow loopback this way.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from bot.errors import FeedFetchError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
HINT = "allow it with [polling] allowed_networks"


class BlockedAddress(OSError):
    """A name resolved to an address feeds may not use (raised inside aiohttp's connector)."""


class AddressPolicy:
    def __init__(self, allowed: Sequence[str] = ()) -> None:
        self.allowed: tuple[Network, ...] = tuple(
            ipaddress.ip_network(n, strict=False) for n in allowed
        )

    def refusal(self, address: Address) -> str | None:
        """Why ``address`` may not be fetched from, or None when it may."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in self.allowed):
            return None
        kind = _kind(address)
        return None if kind is None else f"{address} is a {kind} address"

    def check_url(self, url: str) -> None:
        """Raise FeedFetchError when ``url``'s host is an IP address feeds may not use."""
        host = (urlsplit(url).hostname or "").strip("[]")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return  # a name: the resolver checks what it resolves to
        if (why := self.refusal(address)) is not None:
            raise FeedFetchError(f"refused: {why} ({HINT})")


def _kind(address: Address) -> str | None:
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified or address.is_reserved or not address.is_global:
        return "non-public"
    return None


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver, refusing names that resolve to an address the policy refuses."""

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        self._policy = policy
        self._inner = inner or DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            why = self._policy.refusal(ipaddress.ip_address(result["host"]))
            if why is not None:
                raise BlockedAddress(f"refused: {host} resolves to {why} ({HINT})")
        return results

    async def close(self) -> None:
        await self._inner.close()
