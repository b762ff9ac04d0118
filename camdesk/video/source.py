"""Opening a stream with PyAV: credentials, transport, timeouts, hardware decoding, error mapping.

Credentials are put into the URL only here, at the moment of opening (percent-encoded), and every
message built from a PyAV error is scrubbed: PyAV's messages carry the URL they failed on.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import av
import av.container
import av.error
from av.codec.hwaccel import HWAccel, hwdevices_available

from camdesk.errors import (
    AuthFailed,
    CamdeskError,
    CameraTimeout,
    CameraUnreachable,
    ConnectionRefused,
    InvalidUrl,
    Unsupported,
)
from camdesk.logs import scrub
from camdesk.models.stream import StreamSource
from camdesk.video.settings import EngineSettings

log = logging.getLogger(__name__)

NETWORK_SCHEMES = frozenset({"rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp", "srt"})
SUPPORTED_SCHEMES = NETWORK_SCHEMES | {"file", ""}
# Preference when several hardware decoders exist; the first that can decode H.264 or H.265 wins.
_HW_PREFERENCE = ("cuda", "vaapi", "qsv", "videotoolbox", "d3d11va", "d3d12va", "dxva2", "vdpau", "vulkan")


def is_network(url: str) -> bool:
    """True for camera URLs (rtsp://...), False for local files and recordings."""
    return urlsplit(url).scheme.lower() in NETWORK_SCHEMES


def url_with_credentials(source: StreamSource) -> str:
    """The URL to open: ``source.url`` with the user name and password inserted, percent-encoded."""
    parts = urlsplit(source.url)
    if not source.username or not is_network(source.url):
        return source.url
    host = parts.netloc.rsplit("@", 1)[-1]
    auth = quote(source.username, safe="")
    if source.password:
        auth += ":" + quote(source.password, safe="")
    return urlunsplit((parts.scheme, f"{auth}@{host}", parts.path, parts.query, parts.fragment))


def check_url(url: str) -> None:
    """Reject addresses the engine cannot open at all (raises :class:`InvalidUrl`)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if len(scheme) == 1:  # a Windows drive letter, C:\video.mp4
        scheme = ""
    if scheme not in SUPPORTED_SCHEMES:
        raise InvalidUrl(f"unsupported scheme {scheme!r} in {scrub(url)}")
    if scheme in NETWORK_SCHEMES and not parts.hostname:
        raise InvalidUrl(f"no host in {scrub(url)}")
    if scheme in ("file", "") and not Path(parts.path if scheme == "file" else url).exists():
        raise InvalidUrl(f"no such file: {scrub(url)}")


NATIVE_READ_TIMEOUT_S = 1.0  # a blocked read returns at least this often: shutdown stays under 2 s


def open_options(url: str, transport: str, settings: EngineSettings) -> dict[str, str]:
    """FFmpeg options: transport, socket timeout, and a minimal probe so the first frame comes fast."""
    # No probing beyond the first packets: the SDP carries the codec parameters, and every probed
    # packet is time the tile stays grey. (No "nobuffer": it throws away the probed keyframe, which
    # costs a whole GOP before the first picture.)
    options = {"analyzeduration": "0", "probesize": "32"}
    if urlsplit(url).scheme.lower() in ("rtsp", "rtsps"):
        options["rtsp_transport"] = transport
        # FFmpeg's own socket timeout bounds every blocking read (the worker re-checks its stall deadline
        # and its halt flag after each one), so reads need no Python interrupt callback: see open_container.
        native = min(settings.read_timeout_s, NATIVE_READ_TIMEOUT_S)
        options["timeout"] = str(int(native * 1_000_000))  # socket I/O, microseconds
        options["max_delay"] = "200000"  # reorder buffer for UDP: at most 200 ms of added latency
        options["reorder_queue_size"] = "64"
    return options


_hw_lock = threading.Lock()
_hw_choice: list[str | None] = []  # [] = not probed yet; [None] = none works; [name]


def hardware_device() -> str | None:
    """The first hardware decoder that can decode H.264 or H.265 here, probed once; None if none."""
    with _hw_lock:
        if _hw_choice:
            return _hw_choice[0]
        found: str | None = None
        available = hwdevices_available()
        for name in sorted(available, key=lambda n: _HW_PREFERENCE.index(n) if n in _HW_PREFERENCE else 99):
            for codec in ("h264", "hevc"):
                try:
                    HWAccel(device_type=name, allow_software_fallback=True).create(av.Codec(codec, "r"))
                except (av.error.FFmpegError, OSError, NotImplementedError, ValueError) as exc:
                    log.debug("hardware decoder %s unusable for %s: %s", name, codec, exc)
                    continue
                found = name
                break
            if found:
                break
        log.info("hardware decoding: %s", found or "not available, decoding in software")
        _hw_choice.append(found)
        return found


def open_container(source: StreamSource, settings: EngineSettings, transport: str,
                   hardware: bool) -> av.container.InputContainer:
    """Open ``source`` (blocking, bounded by the open timeout); raises a scrubbed :class:`CamdeskError`."""
    check_url(source.url)
    url = url_with_credentials(source)
    kwargs: dict[str, Any] = {
        "options": open_options(url, transport, settings),
        # Only opening goes through PyAV's interrupt callback (and so can be cancelled at once). While
        # reading, that callback would take the GIL on every socket read (about 50 times a frame):
        # measured, it doubled the engine's context switches and starved the GUI thread with 64
        # streams. Reads are bounded by FFmpeg's socket timeout instead (open_options).
        "timeout": (settings.open_timeout_s, None),
    }
    device = hardware_device() if hardware else None
    if device is not None:
        kwargs["hwaccel"] = HWAccel(device_type=device, allow_software_fallback=True)
    try:
        container: av.container.InputContainer = av.open(url, mode="r", **kwargs)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        if device is not None:  # a hardware decoder that fails here must never cost the picture
            log.info("hardware decoding failed (%s), using software", scrub(str(exc)))
            kwargs.pop("hwaccel")
            try:
                container = av.open(url, mode="r", **kwargs)
            except (av.error.FFmpegError, OSError, ValueError) as exc2:
                raise classify(exc2, url) from None
        else:
            raise classify(exc, url) from None
    if not container.streams.video:
        container.close()
        raise Unsupported("no video stream")
    codec = container.streams.video[0].codec_context
    if codec is None or not codec.name:
        container.close()
        raise Unsupported("unknown video codec")
    return container


def describe(exc: BaseException) -> str:
    """A scrubbed technical description of a PyAV or OS error, without the URL it names."""
    if isinstance(exc, av.error.FFmpegError):
        text = f"{type(exc).__name__}: {exc.strerror or ''}".strip()
    else:
        text = f"{type(exc).__name__}: {exc}"
    return scrub(text)


def classify(exc: BaseException, url: str = "") -> CamdeskError:
    """Map an error from opening or reading ``url`` to a camdesk error with a scrubbed detail."""
    detail = describe(exc)
    if isinstance(exc, CamdeskError):
        return exc
    if url and not is_network(url) and isinstance(exc, av.error.InvalidDataError):
        return Unsupported(f"not a playable video file ({detail})")
    if isinstance(exc, av.error.HTTPUnauthorizedError | av.error.HTTPForbiddenError):
        return AuthFailed(detail)
    if isinstance(exc, av.error.DecoderNotFoundError | av.error.DemuxerNotFoundError
                  | av.error.ProtocolNotFoundError | av.error.PatchWelcomeError):
        return Unsupported(detail)
    if isinstance(exc, av.error.HTTPNotFoundError | av.error.HTTPBadRequestError):
        return InvalidUrl(detail)
    if isinstance(exc, av.error.FileNotFoundError):
        return InvalidUrl(detail)
    if isinstance(exc, ConnectionRefusedError):
        return ConnectionRefused(detail)
    if isinstance(exc, TimeoutError | av.error.ExitError):
        return CameraTimeout(detail)
    return CameraUnreachable(detail)
