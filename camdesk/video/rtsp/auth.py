"""RTSP authentication: the ``Authorization`` header for Basic and Digest (RFC 2617: MD5, ``qop=auth`` or
none), chosen from a 401's ``WWW-Authenticate`` challenges.

Credentials live only in this object; nothing here logs or raises with them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re

_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # MD5: what RFC 2617 Digest uses


def parse_challenge(value: str) -> tuple[str, dict[str, str]]:
    """``'Digest realm="x", nonce="y"'`` -> ("digest", {"realm": "x", "nonce": "y"})."""
    scheme, _, rest = value.strip().partition(" ")
    params = {m.group(1).lower(): (m.group(2) if m.group(2) is not None else m.group(3))
              for m in _PARAM.finditer(rest)}
    return scheme.lower(), params


class Authenticator:
    """Builds Authorization headers for one camera. ``challenge()`` takes a 401's challenges (Digest is
    preferred over Basic when a server offers both: Basic sends the password in the clear)."""

    def __init__(self, username: str, password: str) -> None:
        self._user = username
        self._password = password
        self.scheme = ""
        self._params: dict[str, str] = {}
        self._nc = 0

    def __repr__(self) -> str:
        return f"Authenticator(scheme={self.scheme!r})"  # never the credentials

    def challenge(self, values: list[str]) -> bool:
        """Adopt the best of ``values``; False when none is usable (an unknown scheme or algorithm).
        Returns whether a new nonce was issued (``stale=true`` counts as one)."""
        best: tuple[str, dict[str, str]] | None = None
        for value in values:
            scheme, params = parse_challenge(value)
            algorithm = params.get("algorithm", "MD5").upper()
            if scheme == "digest" and algorithm == "MD5" and "nonce" in params:
                best = (scheme, params)
                break
            if scheme == "basic" and best is None:
                best = (scheme, params)
        if best is None:
            return False
        self.scheme, self._params = best
        self._nc = 0
        return True

    @property
    def stale(self) -> bool:
        """The server said the nonce had expired, not that the password was wrong."""
        return self._params.get("stale", "").lower() == "true"

    def header(self, method: str, uri: str) -> str | None:
        """The Authorization value for one request, or None before any challenge."""
        if self.scheme == "basic":
            token = base64.b64encode(f"{self._user}:{self._password}".encode()).decode("ascii")
            return f"Basic {token}"
        if self.scheme != "digest":
            return None
        p = self._params
        realm, nonce = p.get("realm", ""), p.get("nonce", "")
        ha1 = _md5(f"{self._user}:{realm}:{self._password}")
        ha2 = _md5(f"{method}:{uri}")
        fields = [f'username="{self._user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"']
        qops = [q.strip() for q in p.get("qop", "").split(",")]
        if "auth" in qops:
            self._nc += 1
            nc = f"{self._nc:08x}"
            cnonce = os.urandom(8).hex()
            response = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            fields += [f'response="{response}"', "qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
        else:
            fields.append(f'response="{_md5(f"{ha1}:{nonce}:{ha2}")}"')
        if "opaque" in p:
            fields.append(f'opaque="{p["opaque"]}"')
        if "algorithm" in p:
            fields.append(f"algorithm={p['algorithm']}")
        return "Digest " + ", ".join(fields)
