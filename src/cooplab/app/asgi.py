"""The ASGI application uvicorn serves: create_app() with the environment's settings."""

import gc

from cooplab.app import create_app

app = create_app()
# What start-up made (models, tables, templates) lives as long as the process: keep the garbage
# collector from walking it again on every full collection, which would stall requests.
gc.collect()
gc.freeze()
