"""Tokens of the emulated Carbon Mapper API (ninja-jwt style) and the bearer check.

- ``token/pair`` with an account of ``config.carbonmapper_accounts`` issues a refresh token (valid
  1 day) and an access token (valid 1 hour on ``emulator.clock``): HS256 JWTs signed with a key
  derived from the seed. ``token/refresh`` issues a new pair; ``token/verify`` checks one.
- ``Authorization: Bearer <t>`` accepts a scoped API token (``config.carbonmapper_tokens``, or one
  made by ``account/tokens/create-stac``) or a live access JWT.
- The fault ``expire_token`` expires the access JWT of the matching request at once (401 from then on).
- Permissions: a scoped token whose value starts with ``noscope-`` (e.g. add
  ``"noscope-token"`` to ``config.carbonmapper_tokens``), and the built-in token
  :data:`NO_SCOPE_TOKEN`, authenticate but lack the catalog scope: protected endpoints answer 403.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import uuid

from ..http import Request, Response, json_response

ACCESS_LIFETIME = 3600.0
REFRESH_LIFETIME = 86400.0
NO_SCOPE_TOKEN = "demo-carbonmapper-noscope-token"
NO_SCOPE_PREFIX = "noscope-"
PERMISSIONS = ["catalog.view_scene", "catalog.view_plume", "catalog.download_scenes", "stac.view_asset"]

NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
BAD_CREDENTIALS = {"detail": "No active account found with the given credentials"}


def token_not_valid(token_type: str = "access") -> dict:
    return {
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [{"token_class": "AccessToken" if token_type == "access" else "RefreshToken",
                      "token_type": token_type, "message": "Token is invalid or expired"}],
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Tokens:
    """Issues and checks JWTs and scoped tokens. Thread-safe."""

    def __init__(self, emulator):
        self.emulator = emulator
        self._key = hashlib.sha256(f"carbonmapper-jwt-{emulator.config.seed}".encode()).digest()
        self._scoped: dict[str, dict] = {}  # created through account/tokens/create-stac
        self._expired: set[str] = set()  # access JWTs expired early by the fault ``expire_token``
        self._lock = threading.Lock()

    # -- JWTs -------------------------------------------------------------------------
    def make_jwt(self, email: str, token_type: str) -> str:
        now = self.emulator.clock.now()
        lifetime = ACCESS_LIFETIME if token_type == "access" else REFRESH_LIFETIME
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(json.dumps({"token_type": token_type, "exp": int(now + lifetime), "iat": int(now),
                                   "jti": uuid.uuid4().hex, "user_id": email}).encode())
        signature = _b64(hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest())
        return f"{header}.{payload}.{signature}"

    def read_jwt(self, token: str, token_type: str) -> dict | None:
        """The JWT's claims if it is well signed, of ``token_type`` and not expired; else None."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        expected = _b64(hmac.new(self._key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, parts[2]):
            return None
        try:
            claims = json.loads(_unb64(parts[1]))
        except ValueError:
            return None
        if claims.get("token_type") != token_type or claims.get("exp", 0) <= self.emulator.clock.now():
            return None
        return claims

    def pair(self, email: str) -> dict:
        return {"refresh": self.make_jwt(email, "refresh"), "access": self.make_jwt(email, "access")}

    # -- scoped tokens ----------------------------------------------------------------
    def create_scoped(self, email: str, name: str, expiration_date: str | None) -> dict:
        value = "cm-stac-" + uuid.uuid4().hex
        record = {"name": name, "token_value": value, "expiration_date": expiration_date, "user": email}
        with self._lock:
            self._scoped[value] = record
        return record

    def scoped_known(self, token: str) -> bool:
        with self._lock:
            return token in self._scoped or token in self.emulator.config.carbonmapper_tokens

    # -- the bearer check -------------------------------------------------------------
    def check(self, request: Request, scoped: bool = True) -> Response | None:
        """None when the request may go on; else the 401/403 response.

        ``scoped``: the endpoint needs the catalog permission (scoped tokens starting with
        ``noscope-`` lack it). Access JWTs carry every permission.
        """
        header = request.header("authorization") or ""
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return json_response(NOT_PROVIDED, status=401, headers={"WWW-Authenticate": 'Bearer realm="api"'})
        if token == NO_SCOPE_TOKEN or (token.startswith(NO_SCOPE_PREFIX) and self.scoped_known(token)):
            return json_response(FORBIDDEN, status=403) if scoped else None
        if self.scoped_known(token):
            return None
        if self.read_jwt(token, "access") is not None and not self._expire_now(request, token):
            return None
        return json_response(token_not_valid(), status=401, headers={"WWW-Authenticate": 'Bearer realm="api"'})

    def _expire_now(self, request: Request, token: str) -> bool:
        """True when this access token has expired early (now, or by an earlier ``expire_token``)."""
        with self._lock:
            if token in self._expired:
                return True
        if self.emulator.faults.take(request.service, request.route, "expire_token") is None:
            return False
        with self._lock:
            self._expired.add(token)
        return True

    def user(self, request: Request) -> str | None:
        """The email of the access JWT in the Authorization header, if valid."""
        token = (request.header("authorization") or "").partition(" ")[2].strip()
        claims = self.read_jwt(token, "access") if token else None
        return claims.get("user_id") if claims else None
