"""JPEG snapshots of a virtual camera's current picture (main-stream resolution), as served at
``/onvif/cam{index}/snapshot.jpg``."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import cv2
import numpy as np

from camdesk.sim.spec import SimCamera

if TYPE_CHECKING:
    from camdesk.sim.scene import Scene

JPEG_QUALITY = 85


def snapshot_jpeg(cam: SimCamera, scene: Scene | None) -> bytes:
    """The camera's picture now, JPEG-encoded. Without a scene, a grey card with the camera's name."""
    res = cam.spec.main
    if scene is not None:
        ptz = cam.ptz.position() if cam.spec.ptz else None
        image = scene.render(time.time(), res.width, res.height, ptz=ptz)
    else:
        image = np.full((res.height, res.width, 3), 96, np.uint8)
        cv2.putText(image, cam.spec.name, (20, res.height // 2), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
                    (255, 255, 255), 2, cv2.LINE_AA)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return data.tobytes()
