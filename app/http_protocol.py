"""The HTTP protocol the server runs: uvicorn's httptools one, with its own refusals in the one error shape.

A request the parser refuses never reaches the application, so uvicorn
answers it itself, in plain text. Here that answer is the catalog's JSON error
shape instead: 414 when the URL is longer than the parser takes (64 KiB), 400
for anything else it cannot read.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_PARSED_URL = 65_535
"""The longest URL httptools parses."""


def error_body(status: int, error: str) -> bytes:
    return json.dumps({"ok": False, "status": status, "error": error, "errors": []}).encode()


class ErrorShapeProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        too_long = len(getattr(self, "url", b"")) > MAX_PARSED_URL
        status, reason = (414, b"URI Too Long") if too_long else (400, b"Bad Request")
        error = f"the URL is longer than {MAX_PARSED_URL:,} bytes" if too_long else msg.rstrip(".").lower()
        body = error_body(status, error)
        head = [b"HTTP/1.1 %d %s\r\n" % (status, reason)]
        head += [name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
