"""HTTP Digest authentication for RTSP (RFC 2617, MD5; with or without ``qop=auth``)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

REALM = "camdesk-sim"
NONCE_LIFETIME = 300.0  # seconds a nonce stays valid
_PARAM = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]+))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # MD5: what RFC 2617 Digest uses


class DigestAuth:
    """Issues nonces and checks Authorization headers. Stateless nonces: time plus an HMAC, so any
    number of clients can authenticate without the server keeping a table."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(16)

    def nonce(self) -> str:
        stamp = f"{time.time():.0f}"
        mac = hmac.new(self._key, stamp.encode(), "sha256").hexdigest()[:24]
        return f"{stamp}{mac}"

    def challenge(self) -> str:
        """The value of a 401's WWW-Authenticate header."""
        return f'Digest realm="{REALM}", nonce="{self.nonce()}", algorithm="MD5"'

    def _nonce_ok(self, nonce: str) -> bool:
        stamp, mac = nonce[:-24], nonce[-24:]
        good = hmac.new(self._key, stamp.encode(), "sha256").hexdigest()[:24]
        if not stamp.isdigit() or not hmac.compare_digest(mac, good):
            return False
        return time.time() - int(stamp) < NONCE_LIFETIME

    def check(self, header: str | None, method: str, user: str, password: str) -> bool:
        """Whether ``header`` (an Authorization value) proves ``user``/``password`` for ``method``."""
        if not header or not header.lower().startswith("digest "):
            return False
        params = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
                  for m in _PARAM.finditer(header[7:])}
        if params.get("username") != user or params.get("realm") != REALM:
            return False
        nonce, uri, response = params.get("nonce", ""), params.get("uri", ""), params.get("response", "")
        if not self._nonce_ok(nonce):
            return False
        ha1 = _md5(f"{user}:{REALM}:{password}")
        ha2 = _md5(f"{method}:{uri}")
        if params.get("qop") == "auth":
            expected = _md5(f"{ha1}:{nonce}:{params.get('nc', '')}:{params.get('cnonce', '')}:auth:{ha2}")
        else:
            expected = _md5(f"{ha1}:{nonce}:{ha2}")
        return hmac.compare_digest(expected, response.lower())
