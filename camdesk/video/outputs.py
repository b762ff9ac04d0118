"""The consumers of one stream: every tile showing a camera takes its frames from one session with it.

A camera on two tiles (the wall and a second monitor's window) used to open two RTSP sessions: twice the
household's upload and two of the few sessions a cheap camera allows. Now the worker decodes once and
converts each frame for every consumer at that consumer's size, into that consumer's mailbox.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from camdesk.models.stream import StreamQuality, StreamStatus
from camdesk.video.connection import FrameConverter
from camdesk.video.mailbox import Mailbox
from camdesk.video.stats import DeliveryCounter


@dataclass(eq=False)
class Output:
    """One consumer of a stream. Its fields are set by the supervisor's caller (the GUI thread) and read
    by the worker and the decoder pool; each is a single value, replaced whole."""

    stream_id: str
    mailbox: Mailbox
    size: tuple[int, int]  # device pixels (one tuple: a reader never sees a new width with an old height)
    paused: bool = False  # its tile is hidden: no frames converted for it
    forced: StreamQuality | None = None  # MAIN for a maximized tile; None: chosen by size
    converter: FrameConverter = field(default_factory=FrameConverter)
    delivered: DeliveryCounter = field(default_factory=DeliveryCounter)

    def own(self, status: StreamStatus) -> StreamStatus:
        """The stream's ``status`` under this consumer's stream id."""
        if status.stream_id == self.stream_id:
            return status
        return dataclasses.replace(status, stream_id=self.stream_id)


def shown(outputs: tuple[Output, ...]) -> list[Output]:
    """The consumers whose tiles are shown: the ones that get frames."""
    return [o for o in outputs if not o.paused]


def wanted_quality(outputs: tuple[Output, ...]) -> tuple[StreamQuality | None, int, int]:
    """What the stream must serve: (forced quality, width, height) for the tiles that are shown (all of
    them if none is). Main when any shown tile asks for it; the size of the largest shown tile."""
    active = shown(outputs) or list(outputs)
    if not active:
        return None, 2, 2
    if any(o.forced == StreamQuality.MAIN for o in active):
        forced: StreamQuality | None = StreamQuality.MAIN
    elif all(o.forced == StreamQuality.SUB for o in active):
        forced = StreamQuality.SUB
    else:
        forced = None
    width, height = max((o.size for o in active), key=lambda size: size[0] * size[1])
    return forced, width, height
