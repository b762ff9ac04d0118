"""The live stream engine: PyAV workers that decode, scale and recover, behind :class:`StreamSupervisor`."""

from camdesk.video.settings import EngineSettings
from camdesk.video.supervisor import StreamSupervisor

__all__ = ["EngineSettings", "StreamSupervisor"]
