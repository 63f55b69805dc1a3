"""The REST API (FastAPI): every domain's router under /api/v1, one error handler."""
