"""Command-line start of the server: stdio by default, or ``--tcp HOST:PORT``.

TCP listens on loopback unless told otherwise: the protocol has no authentication, and a
client can make the server read and report on the corpus. A non-loopback address is refused
unless ``--allow-remote`` is given, and then a warning is logged.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import logging
import os
import socket
import sys
from typing import NoReturn

__all__ = ["AddressError", "check_address", "exit_now", "main", "parse_address", "serve"]

log = logging.getLogger("docdiff_lsp")


class AddressError(ValueError):
    """A ``--tcp`` address that cannot be used (one line for the user)."""


def parse_address(value: str) -> tuple[str, int]:
    """``HOST:PORT``, ``[IPv6]:PORT`` or just ``PORT`` as a (host, port) pair (loopback when
    no host is given)."""
    host, _, port = value.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise argparse.ArgumentTypeError(
            f"write an IPv6 address in brackets, as [::1]:PORT; got {value!r}"
        )
    try:
        number = int(port)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}") from None
    if not 0 < number < 65536:
        raise argparse.ArgumentTypeError(f"port out of range: {number}")
    return host or "127.0.0.1", number


def _addresses(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise AddressError(f"cannot resolve {host!r} ({exc})") from None
    return [str(info[4][0]) for info in infos]


def check_address(host: str, port: int, *, allow_remote: bool) -> str | None:
    """None for a loopback address; a warning when remote is allowed; AddressError else."""
    remote = [a for a in _addresses(host, port) if not ipaddress.ip_address(a).is_loopback]
    if not remote:
        return None
    if not allow_remote:
        raise AddressError(
            f"{host} is not a loopback address: other machines could connect to the server "
            "and read your corpus through it; listen on 127.0.0.1, or pass --allow-remote"
        )
    return (
        f"listening on {host}:{port}, reachable from other machines: the language server "
        "has no authentication, so anyone who can connect can read the corpus through it"
    )


def serve(
    tcp: tuple[str, int] | None = None,
    log_level: str = "WARNING",
    *,
    allow_remote: bool = False,
) -> int:
    """Start the server on stdio, or on TCP when `tcp` is given; the exit code when it stops.

    Raises AddressError for a ``--tcp`` address that is refused.
    """
    # stdout carries the protocol: logs go to stderr only.
    logging.basicConfig(stream=sys.stderr, level=log_level.upper(), format="%(message)s")
    warning = check_address(*tcp, allow_remote=allow_remote) if tcp is not None else None
    from .handlers import create_server
    from .transport import serve_io, serve_tcp

    # Engine threads are CPU-bound Python: switch to the event loop more often than every 5 ms,
    # so requests such as hover answer promptly while indexing runs.
    sys.setswitchinterval(0.001)

    server = create_server()
    if tcp is None:
        return serve_io(server)
    host, port = tcp

    def listening() -> None:
        if warning:
            log.warning("docdiff_lsp: %s", warning)
        else:
            log.info("docdiff_lsp: listening on %s:%d", host, port)

    try:
        return serve_tcp(server, host, port, listening)
    except OSError as exc:
        raise AddressError(f"cannot listen on {tcp[0]}:{tcp[1]} ({exc.strerror or exc})") from None


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve; returns the exit code (2: bad arguments or framing)."""
    parser = argparse.ArgumentParser(
        prog="docdiff_lsp", description="docdiff language server (stdio by default)."
    )
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over stdin/stdout")
    transport.add_argument(
        "--tcp",
        type=parse_address,
        metavar="HOST:PORT",
        help="listen on a TCP port instead (loopback only unless --allow-remote)",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="let --tcp listen on an address other machines can reach (no authentication!)",
    )
    parser.add_argument("--log-level", default="WARNING", help="stderr log level")
    args = parser.parse_args(argv)
    try:
        return serve(args.tcp, args.log_level, allow_remote=args.allow_remote)
    except AddressError as exc:
        print(f"docdiff_lsp: --tcp: {exc}", file=sys.stderr)  # noqa: T201
        return 2


def exit_now(code: int) -> NoReturn:
    """Leave the process with `code` once the server stopped.

    An engine thread may still be busy with a document; it must not hold the exit.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # the exit notification closed stdout
            stream.flush()
    os._exit(code)
