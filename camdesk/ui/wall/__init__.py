"""The video wall: grid layouts with spanning tiles, tiles painting live frames, layouts and tours."""

from camdesk.ui.wall.catalog import CameraCatalog
from camdesk.ui.wall.hub import StreamHub
from camdesk.ui.wall.layouts import LayoutManager, LayoutTour
from camdesk.ui.wall.wall import WallWidget

__all__ = ["CameraCatalog", "LayoutManager", "LayoutTour", "StreamHub", "WallWidget"]
