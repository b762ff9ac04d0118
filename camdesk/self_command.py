"""How the app starts itself again as a helper process (the event helper, the demo's virtual cameras).

A frozen build (PyInstaller) has no ``python -m``: its executable is the app, so the helpers are hidden
first arguments of the app's own command line (``camdesk/__main__.py`` dispatches them).
"""

from __future__ import annotations

import sys

EVENT_HELPER = "--event-helper"  # camdesk.onvif.event_helper
SIM = "--sim"  # camdesk.sim, with the simulator's own options after it
SIM_PASSWORD_ENV = "CAMDESK_SIM_PASSWORD"  # the simulator's password: the environment, never a command line


def app_command(*args: str) -> list[str]:
    """The command that runs this app with ``args``: from source (``python -m camdesk``) or frozen."""
    app = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "camdesk"]
    return [*app, *args]
