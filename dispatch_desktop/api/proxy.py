"""Which proxy, if any, a request may go through (standard library only).

Every outgoing call of the project follows one rule set, whatever ``HTTP_PROXY``,
``HTTPS_PROXY`` or ``ALL_PROXY`` say: the Dispatch API client, the event follower and the demo
server's callback sender.

- A loopback address (the demo server, the embedded receiver) is never reached through a proxy:
  the call would otherwise leave this computer with its credentials.
- A plain ``http://`` address is never reached through a proxy: the proxy would read the
  password, the Basic header, the API key or the events token in clear.
- An ``https://`` address may use a proxy (the one the caller configured, else the system's,
  honouring ``NO_PROXY``): the proxy sees only a ``CONNECT host:port`` and TLS runs end to end.
  Only ``http://`` and ``https://`` proxies can tunnel that way; any other kind is refused.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

TUNNEL_PROXY_SCHEMES = ("http", "https")


class UnsupportedProxy(ValueError):
    """The configured proxy cannot carry a TLS tunnel (e.g. a SOCKS proxy); nothing was sent."""


def is_loopback_host(host: str | None) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if not host:
        return False
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _configured_proxy(url: str, proxies: Mapping[str, str]) -> str | None:
    """The entry of a requests-style ``proxies`` mapping that applies to ``url``."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    for key in (f"{parts.scheme}://{host}", parts.scheme, f"all://{host}", "all"):
        if proxies.get(key):
            return proxies[key]
    return None


def _system_proxy(url: str) -> str | None:
    """The proxy the environment (or the platform's settings) names for ``url``, unless
    ``NO_PROXY`` exempts its host."""
    # Imported on first use: urllib.request pulls in http.client, email and ssl, and the app
    # imports this module (through events.config) before its sign-in dialog is painted.
    import urllib.request

    parts = urlsplit(url)
    system = urllib.request.getproxies()
    proxy = system.get(parts.scheme) or system.get("all")
    if not proxy:
        return None
    host = parts.hostname or ""
    if urllib.request.proxy_bypass(host) or urllib.request.proxy_bypass(parts.netloc):
        return None
    return proxy


def choose_proxy(
    url: str, *, configured: Mapping[str, str] | None = None, use_system: bool = True
) -> str | None:
    """The proxy URL ``url`` must go through, or ``None`` for a direct connection.

    ``configured`` is a requests-style mapping (``{"https": "http://proxy:3128"}``) that takes
    precedence over the system's proxies; ``use_system`` allows the latter. Raises
    :class:`UnsupportedProxy` for a proxy that cannot tunnel TLS."""
    parts = urlsplit(url)
    if parts.scheme != "https" or is_loopback_host(parts.hostname):
        return None
    proxy = _configured_proxy(url, configured or {})
    if proxy is None and use_system:
        proxy = _system_proxy(url)
    if proxy is None:
        return None
    if "://" not in proxy:
        proxy = f"http://{proxy}"  # how curl and requests read a bare host:port
    scheme = urlsplit(proxy).scheme.lower()
    if scheme not in TUNNEL_PROXY_SCHEMES:
        raise UnsupportedProxy(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "Library",
                    "The proxy set for this computer (%1://…) cannot carry a secure connection; "
                    "only http:// and https:// proxies are supported.",
                ),
                scheme,
            )
        )
    return proxy
