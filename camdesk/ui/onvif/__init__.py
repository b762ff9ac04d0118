"""ONVIF user interface: discovery and add-camera dialogs, the PTZ and events docks, PTZ on a tile.

Standalone widgets; the main window wires them (see docs/readme/onvif.md, "Integration").
They receive an :class:`camdesk.onvif.service.OnvifService` and a :class:`camdesk.ui.bridge.GuiBridge`
and never wait on the network: every result comes back through the bridge on the GUI thread.
"""
