"""Shared by the tests that talk ONVIF to the simulator: onvif-zeep-async pointed at a camera's own path,
and a small cluster behind one virtual recorder."""

from __future__ import annotations

from onvif import ONVIFCamera  # a project dependency: never skipped

from camdesk.sim.cluster import SimCluster

NVR_CAMERAS = 3


class SimCameraClient(ONVIFCamera):
    """onvif-zeep-async hard-codes ``/onvif/device_service``; the simulator serves several cameras (and a
    recorder) on one port, so point the device service at the device's own path (everything else comes
    from GetServices)."""

    def __init__(self, device_url: str, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._device_url = device_url

    def get_definition(self, name: str, port_type: str | None = None) -> tuple[str, str, str]:
        xaddr, wsdl, binding = super().get_definition(name, port_type)
        return (self._device_url if name == "devicemgmt" else xaddr), wsdl, binding


def start_nvr_cluster(user: str, password: str, discovery: bool) -> SimCluster:
    """Three cameras (the first a PTZ camera) behind one virtual recorder, with small streams as
    camdesk.sim.testing's fixture uses (importing that from a test module defeats its assert rewriting)."""
    cluster = SimCluster(NVR_CAMERAS, main="640x360@15", sub="320x180@10", ptz=1, nvr=True, user=user,
                         password=password, discovery=discovery)
    cluster.start()
    return cluster


def nvr_url(sim: SimCluster) -> str:
    """The recorder's ONVIF device address."""
    assert sim.nvr_info is not None
    return str(sim.nvr_info["onvif"])
