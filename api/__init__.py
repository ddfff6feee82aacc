"""The HTTP API for downstream systems and operators (FastAPI). Not built yet: smista is used
through its command line for now."""
