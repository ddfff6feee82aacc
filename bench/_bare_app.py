"""The baseline of bench/api.py: a bare FastAPI endpoint that returns a constant."""

from fastapi import FastAPI

app = FastAPI()


@app.post("/v1/classify")
async def classify() -> dict:
    return {"type": "other", "urgency": "low"}
