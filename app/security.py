"""What every request passes before a route sees it, and what every response carries.

Hostile HTTP must never reach the database or hold the server: a request is
refused here, in the one error shape, when its URL is too long (414), its path
or query holds a NUL (404 / 422: PostgreSQL refuses NUL in text, so it must
never reach a query), its body is larger than `CATALOG_MAX_BODY_BYTES`
(413, counted as it arrives, so a chunked body without a length is caught
too) or its body does not arrive in `CATALOG_BODY_TIMEOUT_S` (408). A body
is read whole here and replayed to the route. HEAD is answered as GET without
the body. Every response carries a strict Content-Security-Policy (the app
serves every asset itself, and no page has an inline script) and the other
headers that keep a page from being sniffed, framed or leaking its URL.
"""

from __future__ import annotations

import asyncio
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import error_response
from app.schemas import ErrorDetail
from catalog.settings import Settings

MAX_URL_BYTES = 64 * 1024
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class Refused(Exception):
    def __init__(self, status: int, error: str, field: str | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.field = status, error, field


class GuardMiddleware:
    """Refuses hostile requests before routing, answers HEAD as GET and adds the security headers."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, body_timeout_s: float) -> None:
        self.app, self.max_body_bytes, self.body_timeout_s = app, max_body_bytes, body_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            elif message["type"] == "http.response.body" and head:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            self._check_url(scope)
            body = await self._read_body(scope, receive)
        except Refused as refused:
            await self._refuse(scope, refused, send_secured)
            return
        if head:
            scope = {**scope, "method": "GET"}
        await self.app(scope, _replay(body, receive), send_secured)

    def _check_url(self, scope: Scope) -> None:
        raw_path = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string", b"")
        if len(raw_path) + len(query) > MAX_URL_BYTES:
            raise Refused(414, f"the URL is longer than {MAX_URL_BYTES:,} bytes")
        if "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(raw_path):
            raise Refused(404, "no such page: the path holds a NUL character")
        if b"\x00" in unquote_to_bytes(query.replace(b"+", b" ")):
            raise Refused(422, "the query holds a NUL character", "query")

    async def _read_body(self, scope: Scope, receive: Receive) -> list[Message]:
        """The request's body messages, or `Refused` when it is too large or too slow."""
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if length is None and not chunked:
            return []
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            raise Refused(413, f"the request body is larger than {self.max_body_bytes:,} bytes")
        messages: list[Message] = []
        size = 0
        deadline = asyncio.get_running_loop().time() + self.body_timeout_s
        while True:
            left = deadline - asyncio.get_running_loop().time()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
            except TimeoutError:
                raise Refused(
                    408, f"the request body did not arrive within {self.body_timeout_s:g} s"
                ) from None
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            size += len(message.get("body", b""))
            if size > self.max_body_bytes:
                raise Refused(413, f"the request body is larger than {self.max_body_bytes:,} bytes")
            if not message.get("more_body", False):
                return messages

    async def _refuse(self, scope: Scope, refused: Refused, send: Send) -> None:
        errors = [ErrorDetail(field=refused.field, message=refused.error)] if refused.field else []
        headers = {"Connection": "close"} if refused.status in (408, 413) else None
        response = error_response(Request(scope), refused.status, refused.error, errors, headers)
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that hands out the body read ahead, then whatever the connection says next."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


class CompressMiddleware:
    """Gzip for clients that accept it, except the live demo, whose answer must not be held back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.gzip = app, GZipMiddleware(app, minimum_size=1024)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/demo"):
            await self.app(scope, receive, send)
        else:
            await self.gzip(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(CompressMiddleware)
    app.add_middleware(
        GuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        body_timeout_s=settings.body_timeout_s,
    )
