"""The ONVIF client: discovery, login test and profiles, PTZ, events. zeep and onvif-zeep-async stay here.

Everything runs on one asyncio loop thread (:mod:`camdesk.onvif.loop`); callers use
:class:`camdesk.onvif.service.OnvifService`, whose methods return ``concurrent.futures.Future`` objects
holding :mod:`camdesk.models.onvif` dataclasses. This package file stays empty of imports so that
importing :mod:`camdesk.onvif.api` does not load zeep.
"""
