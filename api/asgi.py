"""ASGI entry point for process managers and multi-worker uvicorn: ``uvicorn --factory api.asgi:create``.

Each worker process builds its services from the environment's Settings when it starts.
"""

from fastapi import FastAPI

from api.app import create_app
from triage.service import build
from triage.settings import Settings


def create() -> FastAPI:
    return create_app(build(Settings()))
