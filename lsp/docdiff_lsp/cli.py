"""Command-line start of the server: stdio by default, or ``--tcp HOST:PORT``."""

from __future__ import annotations

import argparse
import logging
import sys

__all__ = ["main", "parse_address", "serve"]


def parse_address(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (or just ``PORT``) as a (host, port) pair."""
    host, _, port = value.rpartition(":")
    try:
        number = int(port)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}") from None
    if not 0 < number < 65536:
        raise argparse.ArgumentTypeError(f"port out of range: {number}")
    return host or "127.0.0.1", number


def serve(tcp: tuple[str, int] | None = None, log_level: str = "WARNING") -> None:
    """Start the server on stdio, or on TCP when `tcp` is given; returns when it stops."""
    # stdout carries the protocol: logs go to stderr only.
    logging.basicConfig(stream=sys.stderr, level=log_level.upper(), format="%(name)s: %(message)s")
    from .handlers import create_server

    # Engine threads are CPU-bound Python: switch to the event loop more often than every 5 ms,
    # so requests such as hover answer promptly while indexing runs.
    sys.setswitchinterval(0.001)

    server = create_server()
    if tcp is None:
        server.start_io()
    else:
        server.start_tcp(*tcp)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="docdiff_lsp", description="docdiff language server (stdio by default)."
    )
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over stdin/stdout")
    transport.add_argument(
        "--tcp", type=parse_address, metavar="HOST:PORT", help="listen on a TCP port instead"
    )
    parser.add_argument("--log-level", default="WARNING", help="stderr log level")
    args = parser.parse_args(argv)
    serve(args.tcp, args.log_level)
    return 0
