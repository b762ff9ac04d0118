"""camdesk's own RTSP/RTP client: completes each access unit on the RTP marker bit (FFmpeg waits for the
next picture's first packet, one frame interval) and hands Annex-B units to a PyAV decoder. Streams it
does not play raise :class:`NotHandled`, and the engine opens them with FFmpeg instead."""

from camdesk.video.rtsp.client import NotHandled, RtspClient
from camdesk.video.rtsp.depacketize import AccessUnit

__all__ = ["AccessUnit", "NotHandled", "RtspClient"]
