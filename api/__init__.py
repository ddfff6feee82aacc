"""The HTTP API (FastAPI) for downstream systems and operators: HTTP only, the logic is the core's."""
