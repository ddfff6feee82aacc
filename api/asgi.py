"""ASGI entry point for process managers and multi-worker uvicorn: ``uvicorn api.asgi:app``.

Settings come from the environment; the app loads its model and store in its lifespan.
"""

from api.app import create_app
from triage.settings import Settings

app = create_app(Settings())
