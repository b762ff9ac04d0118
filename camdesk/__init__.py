"""camdesk: a video wall and evidence desk for a ward police control room."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("camdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
