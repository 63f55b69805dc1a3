"""Trivial apps served exactly like cooplab, for the "framework ceiling" baselines of api_load.py.

raw:      a bare ASGI callable answering a small JSON body (uvicorn alone)
fastapi:  FastAPI with one sync route returning a small dict (uvicorn + FastAPI + threadpool,
          which is how cooplab's routes run), no database
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

BODY = b'{"hello":"world"}'


async def raw(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": BODY})


fastapi = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@fastapi.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}
