"""The wire: JSON-RPC framing read strictly, clean error replies, stdio and TCP transports.

pygls's own reading loop skips header lines it does not understand and then reads message
bodies as headers, so one bad ``Content-Length`` desynchronises the stream for good; it also
drops requests whose params do not fit (no reply at all) and puts Python tracebacks into error
replies. Here a framing error ends the connection with one log line, a request with invalid
params gets a JSON-RPC error, and no reply carries a traceback (the log keeps it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import threading
from collections.abc import Awaitable, Callable, Generator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdinAsyncReader, StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from docdiff.errors import DocdiffError

__all__ = ["DocdiffProtocol", "FramingError", "read_frame", "serve_io", "serve_tcp"]

log = logging.getLogger("docdiff_lsp")

MAX_HEADER_LINE = 1024
MAX_BODY = 64 * 1024 * 1024
"""Largest message accepted (64 MB): a larger Content-Length is taken as broken framing."""
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
REQUEST_FAILED = -32803


class FramingError(Exception):
    """The byte stream does not follow the LSP base protocol; the connection must end."""


class Reader(Protocol):
    """What the framing reads from: pygls's stdin reader or an asyncio stream."""

    def readline(self) -> Awaitable[bytes]:
        """One line, with its line break (empty at end of stream)."""

    def readexactly(self, n: int) -> Awaitable[bytes]:
        """`n` bytes (fewer, or IncompleteReadError, at end of stream)."""


async def read_frame(reader: Reader) -> bytes | None:
    """The next message body, None at a clean end of stream; FramingError when broken.

    Headers are ``Name: value`` lines ending in CRLF, then an empty line; only
    ``Content-Length`` (digits, required) and ``Content-Type`` are known.
    """
    length: int | None = None
    first = True
    while True:
        line = await reader.readline()
        if not line:
            if first:
                return None
            raise FramingError("the stream ended inside the headers")
        first = False
        if len(line) > MAX_HEADER_LINE or not line.endswith(b"\r\n"):
            raise FramingError(f"malformed header line {_show(line)}")
        if line == b"\r\n":
            break
        name, sep, value = line[:-2].partition(b":")
        key = name.strip().lower()
        if not sep:
            raise FramingError(f"malformed header line {_show(line)}")
        if key == b"content-length":
            digits = value.strip()
            if not digits.isdigit():
                raise FramingError(f"invalid Content-Length {_show(digits)}")
            length = int(digits)
            if length > MAX_BODY:
                raise FramingError(f"Content-Length {length} is over {MAX_BODY} bytes")
        elif key != b"content-type":
            raise FramingError(f"unknown header {_show(name)}")
    if length is None:
        raise FramingError("a message without Content-Length")
    try:
        body = await reader.readexactly(length)
    except asyncio.IncompleteReadError as exc:
        body = exc.partial
    if len(body) < length:
        raise FramingError("the stream ended inside a message")
    return body


def _show(raw: bytes) -> str:
    text = raw[:60].decode("utf-8", "replace").strip()
    return repr(text + ("…" if len(raw) > 60 else ""))


@dataclass(frozen=True, slots=True)
class _Refused:
    """A request that cannot be handled as sent: answered with a JSON-RPC error."""

    id: int | str | None
    code: int
    message: str


def _request_id(data: dict[str, Any]) -> int | str | None:
    msg_id = data.get("id")
    return msg_id if isinstance(msg_id, int | str) and not isinstance(msg_id, bool) else None


class DocdiffProtocol(LanguageServerProtocol):
    """pygls's protocol with clean error replies and without its own document edits.

    pygls applies incremental changes on `str.splitlines` lines, which break on form feed and
    U+2028 (and it may rewrite the change's positions in place); the server keeps its own text
    per document instead (see `server.OpenDoc`).
    """

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        """Hand the change to the server's handler only."""
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    def structure_message(self, data: dict[str, Any]) -> Any:
        """The typed message; a request whose params do not fit becomes an error to send."""
        try:
            return super().structure_message(data)
        except JsonRpcException:
            if "id" in data and "method" in data:
                method = str(data["method"])[:80]
                return _Refused(_request_id(data), INVALID_PARAMS, f"invalid params for {method}")
            raise

    def handle_message(self, message: Any) -> None:
        """Dispatch a message; refused requests and non-messages get their error reply."""
        if isinstance(message, _Refused):
            self.reply_error(message.id, message.code, message.message)
            return
        if not hasattr(message, "jsonrpc"):
            if isinstance(message, dict) and "id" in message:
                self.reply_error(_request_id(message), INVALID_REQUEST, "invalid request")
            else:
                log.warning("ignoring a message that is not JSON-RPC 2.0")
            return
        super().handle_message(message)

    def reply_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        """Send one error response (id None: the request's id could not be read)."""
        self._send_data(
            {"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}}
        )

    def _send_handler_result(self, future: Future[Any], *, msg_id: Any) -> None:
        exc = None if future.cancelled() else future.exception()
        if isinstance(exc, DocdiffError):
            self._request_futures.pop(msg_id, None)
            self.reply_error(msg_id, REQUEST_FAILED, f"docdiff: {exc}")
            return
        super()._send_handler_result(future, msg_id=msg_id)

    def _send_response(
        self, msg_id: Any, result: Any | None = None, error: types.ResponseError | None = None
    ) -> None:
        if error is not None and error.data is not None:
            # pygls puts the traceback here: it belongs in the log, not in the reply.
            log.error("request %s failed: %s\n%s", msg_id, error.message, error.data)
            error = types.ResponseError(
                code=error.code, message=f"{error.message} (details in the server log)"
            )
        super()._send_response(msg_id, result, error)


def dispatch(protocol: DocdiffProtocol, body: bytes) -> None:
    """Decode one message body and hand it to the protocol."""
    try:
        message = json.loads(body, object_hook=protocol.structure_message)
    except (ValueError, RecursionError):
        protocol.reply_error(None, PARSE_ERROR, "parse error: the message is not JSON")
        return
    except JsonRpcException as exc:
        log.warning("ignoring a notification that does not fit its method: %s", exc)
        return
    try:
        protocol.handle_message(message)
    except Exception:
        log.exception("could not handle a message")


async def read_loop(reader: Reader, protocol: DocdiffProtocol, stop: threading.Event) -> str | None:
    """Read and dispatch messages until the stream ends (None) or breaks (the reason)."""
    while not stop.is_set():
        try:
            body = await read_frame(reader)
        except FramingError as exc:
            return str(exc)
        if body is None:
            return None
        dispatch(protocol, body)
    return None


def _closing(problem: str | None) -> int:
    if problem is None:
        return 0
    log.error("docdiff_lsp: closing the connection: %s", problem)
    return 2


def serve_io(server: LanguageServer, stdin: BinaryIO | None = None) -> int:
    """Serve one client over stdin/stdout; the exit code (2 after broken framing)."""
    protocol = server.protocol
    assert isinstance(protocol, DocdiffProtocol)
    stop = threading.Event()
    server._stop_event = stop
    reader = StdinAsyncReader(stdin or sys.stdin.buffer, server.thread_pool)
    protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    problem: str | None = None
    try:
        problem = asyncio.run(read_loop(reader, protocol, stop))
    except BrokenPipeError:
        log.error("docdiff_lsp: the client closed the connection")
    except KeyboardInterrupt:
        pass
    except SystemExit as exc:  # the `exit` notification: 0 after `shutdown`, else 1
        return exc.code if isinstance(exc.code, int) else 1
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]
    return _closing(problem)


def serve_tcp(
    server: LanguageServer,
    host: str,
    port: int,
    listening: Callable[[], None] | None = None,
) -> int:
    """Listen on `host`:`port` and serve the first client; the exit code.

    `listening` is called once the socket accepts connections.
    """
    protocol = server.protocol
    assert isinstance(protocol, DocdiffProtocol)
    stop = threading.Event()
    server._stop_event = stop
    problems: list[str | None] = []

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        protocol.set_writer(writer)
        problems.append(await read_loop(reader, protocol, stop))
        writer.close()
        server.shutdown()  # type: ignore[no-untyped-call]

    async def listen() -> None:
        server._server = await asyncio.start_server(connection, host, port)
        if listening is not None:
            listening()
        async with server._server:
            await server._server.serve_forever()

    with contextlib.suppress(asyncio.CancelledError):
        asyncio.run(listen())
    return _closing(problems[0] if problems else None)
