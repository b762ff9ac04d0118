"""The virtual recorder (NVR): one more ONVIF device on the shared HTTP port whose channels are the
cluster's cameras, as a household recorder presents the cameras plugged into it.

It answers at ``/onvif/nvr/{device,media,media2,ptz}_service`` with the cluster's credentials; Media and
Media2 list one video source and a main and a sub profile per channel, GetStreamUri hands out that
camera's RTSP URIs and GetSnapshotUri its snapshot address. PTZ channels carry their PTZ configuration
in their profiles. It has its own identity, clock and faults (``OnvifHandle.nvr``), but no events service.
"""

from __future__ import annotations

import dataclasses

from camdesk.sim.spec import CameraSpec, SimCamera

NVR_PATH = "nvr"  # /onvif/nvr/device_service
NVR_NAME = "Virtual NVR"
NVR_MODEL = "VirtualNVR"
NVR_INDEX = -1  # outside the cameras' 0..N-1, so its serial number, MAC and UUID differ from theirs


def nvr_camera(channels: list[SimCamera]) -> SimCamera:
    """The recorder's own device state: the first camera's credentials and sizes, PTZ if any channel has it."""
    if not channels:
        raise ValueError("a recorder needs at least one channel")
    first = channels[0].spec
    spec = dataclasses.replace(
        first, index=NVR_INDEX, name=NVR_NAME, model=NVR_MODEL, ptz=any(c.spec.ptz for c in channels),
        mode="loop", location=first.location or "",
    )
    return SimCamera(spec)


def is_nvr(spec: CameraSpec) -> bool:
    return spec.index == NVR_INDEX
