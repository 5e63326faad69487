"""Running the web application: the socket bound first (to loopback unless told otherwise), then uvicorn on it."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

from ..archive import Archive, default_index
from ..errors import SearchkitError
from .app import LOOPBACK, create_app


class ServeError(SearchkitError):
    """The server cannot start (the address is taken, or not this machine's)."""


def serve(index: Path | None, *, host: str = "127.0.0.1", port: int = 8000, say: Callable[[str], None] = print) -> None:
    """Serve the index at ``index`` (None: the default one) until interrupted (Ctrl-C); ``say`` is told
    where, and who can connect."""
    import uvicorn

    index = Path(index) if index is not None else default_index()
    with Archive(index) as archive:
        articles = len(archive)  # IndexNotFound, before anything listens
    listener = bind(host, port)
    bound_host, bound_port = listener.getsockname()[:2]
    local = _is_loopback(bound_host)
    named = f"[{bound_host}]" if ":" in bound_host else bound_host  # an IPv6 address, as URLs write it
    say(f"Serving {index} ({articles:,} articles) at http://{named}:{bound_port}/ (Ctrl-C stops)")
    if local:
        say(f"Listening on {bound_host}: only this machine can connect (--host names another address).")
    else:
        say(f"Listening on {bound_host}: any machine that can reach this one on port {bound_port} can read the archive.")
    app = create_app(index, hosts=(*LOOPBACK, host, named) if local else ("*",))
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    uvicorn.Server(config).run(sockets=[listener])


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free one); ServeError when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as error:
        raise ServeError(f"cannot listen on {host}: {error}") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise ServeError(f"cannot listen on {host} port {port}: {error.strerror or error}") from None
    return listener


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
