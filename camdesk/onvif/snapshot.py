"""Fetching a camera's JPEG snapshot. Snapshot URLs often need HTTP Digest or Basic (ONVIF-NOTES): try
Digest (aiohttp's middleware answers the challenge), then Basic, and report AuthFailed only after both.
Loop thread only; the caller bounds the time."""

from __future__ import annotations

import aiohttp

from camdesk.errors import AuthFailed, ProtocolError
from camdesk.logs import scrub
from camdesk.onvif.client import strip_userinfo
from camdesk.onvif.errors import CALL_ERRORS, translate
from camdesk.onvif.safe_xml import ReplyTooLarge

MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024


async def fetch_snapshot(uri: str, user: str, password: str) -> bytes:
    """The JPEG bytes at ``uri`` (credentials never in the URL). Raises AuthFailed, CameraUnreachable,
    ProtocolError (not an image, or too large)."""
    uri = strip_userinfo(uri)
    attempts: list[tuple[dict[str, str], tuple[aiohttp.DigestAuthMiddleware, ...]]] = [({}, ())]
    if user:
        basic = {"Authorization": aiohttp.encode_basic_auth(user, password)}
        attempts = [({}, (aiohttp.DigestAuthMiddleware(user, password),)), (basic, ())]
    status = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        for headers, middlewares in attempts:
            try:
                async with session.get(uri, headers=headers, middlewares=middlewares) as resp:
                    status = resp.status
                    if status in (401, 403):
                        continue
                    if status >= 400:
                        raise ProtocolError(f"snapshot: HTTP {status} from {scrub(uri)}")
                    if (resp.content_length or 0) > MAX_SNAPSHOT_BYTES:
                        raise ReplyTooLarge(f"snapshot of {resp.content_length} bytes refused")
                    data = await resp.content.read(MAX_SNAPSHOT_BYTES + 1)
            except CALL_ERRORS as exc:
                raise translate(exc) from exc
            if len(data) > MAX_SNAPSHOT_BYTES:
                raise ReplyTooLarge("snapshot too large")
            if not data.startswith(b"\xff\xd8"):
                raise ProtocolError(f"snapshot from {scrub(uri)} is not a JPEG image")
            return data
    raise AuthFailed(f"snapshot: HTTP {status} from {scrub(uri)}")
