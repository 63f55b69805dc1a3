"""Security headers on every response: a content security policy that runs no inline script and
lets no other site frame the app, no content sniffing, no referrer sent to other sites; in
production also HSTS and the Secure flag on every cookie."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Pages and answers: scripts and styles of the app's own origin only, never inline; style
#: attributes (the widths of the bars in lists) are allowed, they cannot run code.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The API's documentation pages (/docs, /redoc): their scripts are the app's own files too, but
#: Swagger UI and ReDoc write <style> elements and ReDoc runs a worker from a blob.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_PAGES = {"/docs", "/redoc"}
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Add the security headers to every HTTP response (errors included)."""

    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope.get("path") in DOCS_PAGES else POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, self._cookie(value) if name.lower() == b"set-cookie" else value)
                    for name, value in message.get("headers", [])
                ]
                present = {name.lower() for name, _ in headers}
                wanted = [
                    (b"content-security-policy", policy.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                if self.production:
                    wanted.append((b"strict-transport-security", HSTS.encode()))
                headers += [(name, value) for name, value in wanted if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cookie(self, value: bytes) -> bytes:
        """In production every cookie travels over HTTPS only."""
        if self.production and b"secure" not in [p.strip().lower() for p in value.split(b";")]:
            return value + b"; Secure"
        return value
