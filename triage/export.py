"""JSONL output of ``smista export`` and ``smista run``: one object per line, UTF-8 as written."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from pydantic import BaseModel


def write_jsonl(out: IO[str], records: Iterable[BaseModel | dict[str, Any]]) -> int:
    count = 0
    for record in records:
        data = record.model_dump(mode="json") if isinstance(record, BaseModel) else record
        out.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count
