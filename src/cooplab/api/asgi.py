"""The ASGI application uvicorn serves: create_app() with the environment's settings."""

from cooplab.api.app import create_app

app = create_app()
