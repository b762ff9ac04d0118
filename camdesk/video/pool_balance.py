"""How many decoder-pool threads to use, and which streams each one runs (pure decisions).

Fewer threads cost less CPU for the same pictures: every thread that takes Python's GIL while another
holds it pays a hand-off (a futex call and a context switch). At 16 streams on the 2-core machine, one
pool thread took 1.08-1.12 ms per delivered frame against 1.12-1.35 ms for two (context switches per
frame 0.47 against 1.0-1.4; ``bench/engine.py``, alternating runs). So the pool runs its streams on as
few threads as keep up: a thread busy for more than ``grow_above`` of the time hands streams to another
(started when needed), and a thread whose load would fit beside a lower one's under ``merge_below``
hands all its streams back. The two thresholds are far apart so that a load does not flip to and fro.

Loads are shares of wall time (0.25: busy a quarter of the time), waiting for the GIL included: what
matters is whether a thread keeps up with its cameras, whatever slows it down.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BalanceSettings:
    grow_above: float = 0.6  # a thread busier than this hands streams to another
    merge_below: float = 0.35  # two threads whose loads together are under this become one
    window_s: float = 1.0  # loads are measured over this long
    # A stream not yet measured counts as this much (a 640x360@15 sub stream is about 0.02): a wall
    # opening 64 streams at once spreads them before the first measurement.
    new_stream_load: float = 0.03
    min_gap: float = 0.1  # two busy threads trade streams only when their loads differ by this much


@dataclass(frozen=True)
class LoopLoad:
    """One pool thread as the balancer sees it."""

    load: float  # measured over the last window, plus new streams' estimate
    streams: int


@dataclass(frozen=True)
class Move:
    """Hand ``streams`` (indices into the busy thread's list) to thread ``target``."""

    target: int
    streams: tuple[int, ...]


def place(loops: list[LoopLoad], settings: BalanceSettings) -> int:
    """The thread for a new stream: the least loaded one in use, if the stream fits under
    ``grow_above``; else a thread with no streams (the lowest); else the least loaded."""
    in_use = [i for i, loop in enumerate(loops) if loop.streams] or [0]
    best = min(in_use, key=lambda i: loops[i].load)
    if loops[best].load + settings.new_stream_load <= settings.grow_above:
        return best
    idle = [i for i, loop in enumerate(loops) if not loop.streams and i not in in_use]
    if idle:
        return idle[0]
    return min(range(len(loops)), key=lambda i: loops[i].load)


def plan(index: int, loops: list[LoopLoad], stream_loads: list[float],
         settings: BalanceSettings) -> Move | None:
    """What thread ``index`` (whose streams have ``stream_loads``) should hand over, if anything."""
    own = loops[index]
    others = [i for i in range(len(loops)) if i != index]
    if own.load > settings.grow_above and len(stream_loads) > 1 and others:
        # Prefer a thread already in use with room; else start one; else the least loaded, if lighter.
        busy = [i for i in others if loops[i].streams]
        roomy = [i for i in busy if loops[i].load < settings.grow_above / 2]
        idle = [i for i in others if not loops[i].streams]
        if roomy:
            target = min(roomy, key=lambda i: loops[i].load)
        elif idle:
            target = idle[0]
        else:
            target = min(others, key=lambda i: loops[i].load)
            if own.load - loops[target].load < settings.min_gap:
                return None  # both busy alike: moving streams to and fro would not help
        chosen = _share(stream_loads, (own.load - loops[target].load) / 2)
        return Move(target, chosen) if chosen else None
    if own.load < settings.merge_below and stream_loads:
        lower = [i for i in range(index) if loops[i].streams and loops[i].load + own.load < settings.merge_below]
        if lower:
            return Move(lower[0], tuple(range(len(stream_loads))))
    return None


def _share(stream_loads: list[float], wanted: float) -> tuple[int, ...]:
    """Streams whose loads add up to about ``wanted`` (heaviest first, none pushing past it), never all
    of them; at least the lightest one."""
    order = sorted(range(len(stream_loads)), key=lambda i: -stream_loads[i])
    chosen: list[int] = []
    total = 0.0
    for i in order:
        if len(chosen) == len(stream_loads) - 1:
            break
        if total + stream_loads[i] <= wanted:
            chosen.append(i)
            total += stream_loads[i]
    if not chosen:
        chosen.append(order[-1])
    return tuple(sorted(chosen))
