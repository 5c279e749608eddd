"""Rate-limit counters shared by every worker when there is no Redis (see coproduce.rate_limits).

Keys hold the limit and an address or a hash of an account's email, never the email itself.
"""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coproduce.extensions import db


class RateLimitCounter(db.Model):
    __tablename__ = "rate_limit"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
