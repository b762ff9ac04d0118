"""The simulator's RTSP server (RFC 2326) with RTP packetizers (RFC 6184, RFC 7798), SDP, Digest
authentication and RTCP sender reports. Entry point: :class:`camdesk.sim.rtsp.server.RtspServer`."""
