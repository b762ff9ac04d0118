"""Choosing the main or the sub stream from the consumer's pixel size, with hysteresis."""

from __future__ import annotations

from camdesk.models.stream import StreamQuality


class QualitySelector:
    """Decides which stream a tile should show.

    The tile's scale relative to the sub stream is ``max(width / sub_width, height / sub_height)``.
    On the sub stream we move up to main only when that scale exceeds ``up`` (the sub stream would be
    visibly enlarged); on main we move down only when it falls to ``down`` or below. The gap between
    the two (hysteresis) and ``min_interval`` stop a tile being resized by a splitter from flapping
    between streams. Not thread-safe: used by one worker thread.
    """

    def __init__(self, has_sub: bool, sub_width: int = 0, sub_height: int = 0, up: float = 1.25,
                 down: float = 1.05, min_interval: float = 3.0) -> None:
        self.has_sub = has_sub
        self.sub_width = sub_width
        self.sub_height = sub_height
        self.up = up
        self.down = down
        self.min_interval = min_interval
        self.forced: StreamQuality | None = None
        self.current: StreamQuality | None = None
        self._last_switch = float("-inf")

    def learn_sub_size(self, width: int, height: int) -> None:
        """Record the sub stream's resolution once it is known from a decoded frame."""
        if width > 0 and height > 0:
            self.sub_width, self.sub_height = width, height

    def wanted(self, width: int, height: int) -> StreamQuality:
        """The quality for a tile of ``width`` x ``height`` pixels, ignoring the switch interval."""
        if not self.has_sub:
            return StreamQuality.MAIN
        if self.forced is not None:
            return self.forced
        if self.sub_width <= 0 or self.sub_height <= 0:
            return self.current or StreamQuality.SUB  # unknown sub size: start cheap, decide once known
        scale = max(width / self.sub_width, height / self.sub_height)
        if self.current == StreamQuality.MAIN:
            return StreamQuality.SUB if scale <= self.down else StreamQuality.MAIN
        return StreamQuality.MAIN if scale > self.up else StreamQuality.SUB

    def decide(self, width: int, height: int, now: float) -> StreamQuality:
        """The quality to use now (monotonic ``now``); records a switch when it changes."""
        want = self.wanted(width, height)
        if self.current is None:
            self.current = want
            self._last_switch = now
        elif want != self.current:
            forced_now = self.forced is not None and want == self.forced
            if forced_now or now - self._last_switch >= self.min_interval:
                self.current = want
                self._last_switch = now
        return self.current
