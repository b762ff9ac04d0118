"""Authentication as cameras do it: WS-Security UsernameToken (PasswordDigest, or PasswordText) for SOAP,
HTTP Digest (RFC 7616, MD5, qop=auth) for snapshots.

The digest's ``Created`` time must be within five minutes of the *camera's* clock, so a camera with a
wrong clock rejects clients that do not adjust to it, exactly as real ones do.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os
import re
import threading
import time

from lxml import etree

from camdesk.sim.onvif.soap import child, text
from camdesk.sim.spec import SimCamera

WINDOW_SECONDS = 300.0
_DIGEST_TYPE = "#PasswordDigest"


def _created_epoch(created: str) -> float | None:
    try:
        parsed = dt.datetime.fromisoformat(created.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def check_username_token(header: etree._Element | None, cam: SimCamera) -> bool:
    """True when the header carries this camera's user and current password, created within the window."""
    token = child(header, "Security", "UsernameToken")
    if token is None:
        return False
    if text(token, "Username") != cam.username:
        return False
    password_el = child(token, "Password")
    if password_el is None:
        return False
    supplied = (password_el.text or "").strip()
    password = cam.password
    if not password_el.get("Type", _DIGEST_TYPE).endswith(_DIGEST_TYPE):
        return hmac.compare_digest(supplied.encode(), password.encode())  # PasswordText
    created = text(token, "Created")
    nonce_text = text(token, "Nonce")
    created_at = _created_epoch(created)
    if created_at is None or abs(created_at - cam.faults.camera_time()) > WINDOW_SECONDS:
        return False
    try:
        nonce = base64.b64decode(nonce_text, validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest())
    return hmac.compare_digest(expected, supplied.encode())


class HttpDigest:
    """Server side of HTTP Digest (MD5, qop=auth), with nonces that expire after ``nonce_ttl`` seconds."""

    def __init__(self, realm: str = "camdesk-sim", nonce_ttl: float = 300.0) -> None:
        self.realm = realm
        self._ttl = nonce_ttl
        self._nonces: dict[str, float] = {}
        self._lock = threading.Lock()

    def challenge(self) -> str:
        """The ``WWW-Authenticate`` header value for a 401."""
        nonce = binascii.hexlify(os.urandom(16)).decode()
        now = time.monotonic()
        with self._lock:
            self._nonces = {n: t for n, t in self._nonces.items() if now - t < self._ttl}
            self._nonces[nonce] = now
        return f'Digest realm="{self.realm}", qop="auth", nonce="{nonce}", algorithm=MD5'

    def check(self, header: str | None, method: str, user: str, password: str) -> bool:
        """True when the ``Authorization`` header answers one of our nonces with ``user``/``password``."""
        if not header or not header.lower().startswith("digest "):
            return False
        fields = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header[7:])}
        nonce = fields.get("nonce", "")
        with self._lock:
            issued = self._nonces.get(nonce)
        if issued is None or time.monotonic() - issued > self._ttl:
            return False
        if fields.get("username") != user or fields.get("realm") != self.realm:
            return False

        def md5(s: str) -> str:
            return hashlib.md5(s.encode()).hexdigest()

        ha1 = md5(f"{user}:{self.realm}:{password}")
        ha2 = md5(f"{method}:{fields.get('uri', '')}")
        if fields.get("qop"):
            expected = md5(f"{ha1}:{nonce}:{fields.get('nc', '')}:{fields.get('cnonce', '')}:{fields['qop']}:{ha2}")
        else:
            expected = md5(f"{ha1}:{nonce}:{ha2}")
        return hmac.compare_digest(expected, fields.get("response", ""))
