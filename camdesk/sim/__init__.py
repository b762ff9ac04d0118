"""The virtual camera: real RTSP and ONVIF on loopback, with faults on demand.

Used by the demo, the tests and the benchmarks; nothing else in camdesk imports it.
Shared pieces: :mod:`.spec` (what a camera is), :mod:`.faults` (switches), :mod:`.ptz` (PTZ state that
both the ONVIF PTZ service and the live renderer read).
"""
