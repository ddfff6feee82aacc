"""Request headers are bounded, and the access log never writes query strings."""

from __future__ import annotations

import logging


from api.logs import WithoutQuery


def test_too_many_or_too_large_headers_get_431_with_the_error_shape(served):
    with served.client("read") as c:
        r = c.get("/health", headers={f"x-h{i}": "v" for i in range(150)})
        assert r.status_code == 431 and "headers" in r.json()["error"]
        r = c.get("/health", headers={"x-big": "v" * 70_000})
        assert r.status_code == 431
        assert c.get("/health").status_code == 200


def test_the_access_log_drops_query_strings():
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/v1/classifications?api_key=smk_secret&after=0", "1.1", 200),
                               None)
    assert WithoutQuery().filter(record)
    assert "smk_secret" not in record.getMessage() and "/v1/classifications?…" in record.getMessage()


def test_the_served_app_filters_its_access_log(served):
    with served.client("read") as c:
        c.get("/health")
    assert any(isinstance(f, WithoutQuery) for f in logging.getLogger("uvicorn.access").filters)
