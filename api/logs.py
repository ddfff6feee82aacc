"""What the access log may write: the path without its query string, where a careless client
puts its API key (``?api_key=...``) and a form puts personal data."""

from __future__ import annotations

import logging


class WithoutQuery(logging.Filter):
    """Cuts the query string from uvicorn's access-log records (args: client, method, path, ...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


def keep_queries_out_of_the_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, WithoutQuery) for f in access.filters):
        access.addFilter(WithoutQuery())
