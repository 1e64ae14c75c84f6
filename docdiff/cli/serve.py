"""``docdiff serve``: run the language server (stdio, or TCP with ``--tcp HOST:PORT``)."""

from __future__ import annotations

from typing import Annotated

import typer

from docdiff.cli._app import app, fail, friendly


@app.command()
@friendly
def serve(
    tcp: Annotated[
        str | None,
        typer.Option("--tcp", metavar="HOST:PORT", help="Listen on TCP instead of stdio."),
    ] = None,
    stdio: Annotated[
        bool, typer.Option("--stdio", help="Talk over stdin/stdout (the default).")
    ] = False,
    log_level: Annotated[
        str, typer.Option("--log-level", help="Log level of the server's stderr log.")
    ] = "WARNING",
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote",
            help="Let --tcp listen on an address other machines reach (no authentication!).",
        ),
    ] = False,
) -> None:
    """Run the docdiff language server for editors (VS Code, Neovim, Emacs)."""
    import argparse

    # pygls loads only here, so `docdiff --help` stays fast.
    from docdiff_lsp.cli import AddressError, exit_now, parse_address
    from docdiff_lsp.cli import serve as run

    del stdio  # stdio is the default transport; the flag exists for editors that pass it
    address = None
    if tcp is not None:
        try:
            address = parse_address(tcp)
        except argparse.ArgumentTypeError as exc:
            raise fail(f"--tcp: {exc}") from None
    try:
        code = run(address, log_level, allow_remote=allow_remote)
    except AddressError as exc:
        raise fail(f"--tcp: {exc}") from None
    exit_now(code)
