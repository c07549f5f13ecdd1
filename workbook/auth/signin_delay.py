"""How long a source of wrong access codes must wait before its next try (pure functions).

Each source of an attempt (the code's lookup part, the page, the visitor's address) has a count
of recent wrong codes. The first ``free`` cost nothing; from then on the wait after the latest
wrong code doubles with each further one, up to ``cap``. Nobody is ever locked out: a room
behind one NAT shares one address and is slowed down by at most its (small) cap.
"""
from __future__ import annotations

from datetime import datetime


def signin_delay(failures: int, free: int, base: float, cap: float) -> float:
    """Seconds to wait after the latest of ``failures`` recent wrong codes (0 while within ``free``)."""
    if failures < max(free, 0) or failures <= 0:
        return 0.0
    exponent = min(failures - free, 60)  # 2**60 seconds is far beyond any cap
    return float(min(cap, base * 2**exponent))


def seconds_left(failures: int, last_failure: datetime | None, now: datetime, free: int, base: float, cap: float) -> float:
    """Seconds until the next try is allowed (0: now)."""
    if last_failure is None:
        return 0.0
    waited = (now - last_failure).total_seconds()
    return max(0.0, signin_delay(failures, free, base, cap) - waited)
