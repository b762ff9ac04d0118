"""The camera tree: cameras grouped by residential group, live status dots, a filter without accents."""

from camdesk.ui.tree.view import CameraTreePanel

__all__ = ["CameraTreePanel"]
