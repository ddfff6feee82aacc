"""The reports' rollup tables (migration 0012): figures per local day, the arrivals whose figures
changed since they were rolled up, and the rollup's state.

``report_dirty`` is written by database triggers on every table a report counts, not by Python
code, so no writer (the pipeline, the API's intake, a bulk load, a hand-made UPDATE) can change
a figure without its day being rolled up again. What each ``figure`` keeps in ``k1``..``k5`` and
the measures is listed in :mod:`triage.rollups`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from triage.models import Base, UTCDateTime


class RollupCell(Base):
    """One figure's count for one local day and one combination of its keys."""

    __tablename__ = "report_rollup"
    __table_args__ = (Index("ix_report_rollup_day", "day", "figure"), Index("ix_report_rollup_figure_day", "figure", "day"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[str] = mapped_column(String(10))  # local day of arrival, YYYY-MM-DD
    figure: Mapped[str] = mapped_column(String(16))
    k1: Mapped[str | None] = mapped_column(String(200))
    k2: Mapped[str | None] = mapped_column(String(200))
    k3: Mapped[str | None] = mapped_column(String(200))
    k4: Mapped[str | None] = mapped_column(String(200))
    k5: Mapped[str | None] = mapped_column(String(200))
    n: Mapped[int] = mapped_column(Integer, default=0)
    a: Mapped[int] = mapped_column(Integer, default=0)
    b: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float | None] = mapped_column(Float)
    top: Mapped[float | None] = mapped_column(Float)


class DirtyArrival(Base):
    """The arrival time of a message whose figures changed (one row per change, by trigger)."""

    __tablename__ = "report_dirty"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class RollupState(Base):
    """The one row (id 1) saying in which zone the days are local and whether every day was built."""

    __tablename__ = "report_rollup_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
