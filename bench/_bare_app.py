"""The baseline of bench/api.py: a bare FastAPI endpoint that returns a constant, served the way
``smista serve`` serves (asyncio loop, httptools without Nagle, no access log).

    python bench/_bare_app.py PORT WORKERS
"""

import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.post("/v1/classify")
async def classify() -> dict:
    return {"type": "other", "urgency": "low"}


if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the project's api package, not bench/api.py
    from api.protocol import NoDelayHttpToolsProtocol
    uvicorn.run("bench._bare_app:app", port=int(sys.argv[1]), workers=int(sys.argv[2]),
                loop="asyncio", http=NoDelayHttpToolsProtocol, access_log=False, log_level="warning")
