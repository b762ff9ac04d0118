"""Frozen dataclasses shared by all layers. No Qt, no PyAV, no zeep, no SQL.

One module per domain: ``camera`` (registry), ``stream`` (live stream states and statistics),
``layout`` (walls), ``records`` (bookmarks, incidents, audit), ``onvif`` (discovery, PTZ, events).
"""
