"""Reconnect delays: exponential with full jitter in a band, bounded both ways."""

from __future__ import annotations

import random


class Backoff:
    """Delay before reconnect attempt ``n`` (1-based): about ``first * factor**(n-1)``, capped at ``cap``.

    Jitter spreads a wall of cameras that failed together (a switch reboot) so they do not all knock
    at the same instant; the first retry stays within ``first`` seconds (0.5 s by the issue).
    """

    def __init__(self, first: float = 0.5, factor: float = 2.0, cap: float = 10.0, jitter: float = 0.3,
                 rng: random.Random | None = None) -> None:
        self.first = first
        self.factor = factor
        self.cap = cap
        self.jitter = jitter
        self._rng = rng or random.Random()

    def delay(self, attempt: int) -> float:
        """Seconds to wait before attempt ``attempt`` (1 = the first retry); never above ``cap``."""
        base = min(self.cap, self.first * self.factor ** max(0, attempt - 1))
        return base * (1.0 - self.jitter * self._rng.random())
