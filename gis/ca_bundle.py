"""The certificate authorities every Scene Finder request trusts: certifi's plus QGIS's.

``requests`` trusts only certifi's bundle. An organisation that inspects TLS re-signs every site
with its own root certificate, which its users add to QGIS (Settings ▸ Options ▸ Authentication ▸
Certificate Manager ▸ Authorities) and QGIS then trusts. :func:`ca_bundle_path` writes one PEM
file with certifi's authorities (and those of ``REQUESTS_CA_BUNDLE``, when set) and the ones QGIS
trusts (``QgsAuthManager.trustedCaCertsCache()``: the system's, the ones added by the user and
those of the extra CA file, less the ones marked untrusted), so that requests trusts the same.
:func:`..network.make_qgis_session` sets it as the session's ``verify``.

The file is ``<QGIS profile>/scene_finder/ca-bundle.pem`` (a private temporary folder when the
profile cannot be written), rewritten atomically (a temporary file renamed over it) whenever the
set of authorities changes, so a session made after a CA was added trusts it. Reading the QGIS CA
cache does not open the auth database, but the caller makes sessions on the main thread anyway.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import tempfile
import threading
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCryptographicHash

LOG = logging.getLogger(__name__)

FILE_NAME = "ca-bundle.pem"
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\s+(.+?)\s+-----END CERTIFICATE-----", re.DOTALL)

_lock = threading.Lock()
_written: dict[str, str] = {}  # path -> digest of what was last written there
_last: tuple[tuple, str] | None = None  # (what the bundle was made from, its path): making it takes ~30 ms
_private_temp: Path | None = None


def _pem_blocks(data: bytes) -> list[bytes]:
    return [b"-----BEGIN CERTIFICATE-----\n" + m.group(1).strip() + b"\n-----END CERTIFICATE-----\n"
            for m in _PEM.finditer(data)]


def _der_key(block: bytes) -> bytes:
    """The certificate itself (its DER bytes), whatever the PEM's line breaks."""
    body = b"".join(_PEM.search(block).group(1).split())
    try:
        return base64.b64decode(body)
    except ValueError:
        return body


def certifi_pem() -> bytes:
    """certifi's bundle (requests' default), or b"" when it cannot be read."""
    try:
        import certifi

        return Path(certifi.where()).read_bytes()
    except Exception:  # noqa: BLE001 - without certifi, requests falls back to the same failure
        LOG.warning("The certifi CA bundle could not be read", exc_info=True)
        return b""


def environment_pem() -> list[bytes]:
    """The blocks of the bundle named by ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE``, if any: requests
    would use that file instead of certifi's, so whoever set it keeps what it trusts."""
    name = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if not name or not os.path.isfile(name):
        return []
    try:
        return _pem_blocks(Path(name).read_bytes())
    except OSError:
        return []


def _file_key(name: str | None) -> tuple:
    try:
        stat = os.stat(name) if name else None
    except OSError:
        stat = None
    return (name, stat.st_mtime_ns, stat.st_size) if stat else (name,)


def _sources_key() -> tuple:
    """Cheap to compute (< 1 ms), and different whenever the bundle's content would be."""
    try:
        import certifi

        where = certifi.where()
    except Exception:  # noqa: BLE001
        where = None
    manager = QgsApplication.authManager()
    qgis = ()
    if manager is not None and not manager.isDisabled():
        qgis = tuple(bytes(c.digest(QCryptographicHash.Algorithm.Sha256)) for c in manager.trustedCaCertsCache())
    env = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    return _file_key(where), _file_key(env), qgis


def qgis_trusted_pem() -> list[bytes]:
    """The authorities QGIS trusts, as PEM blocks ([] when its auth system is disabled)."""
    manager = QgsApplication.authManager()
    if manager is None or manager.isDisabled():
        return []
    blocks = []
    for certificate in manager.trustedCaCertsCache():
        if not certificate.isNull():
            blocks.extend(_pem_blocks(bytes(certificate.toPem())))
    return blocks


def build_bundle(base: bytes, extra: list[bytes]) -> bytes:
    """``base`` (a PEM bundle) followed by the blocks of ``extra`` it does not already hold."""
    known = {_der_key(block) for block in _pem_blocks(base)}
    added = []
    for block in extra:
        key = _der_key(block)
        if key not in known:
            known.add(key)
            added.append(block)
    if not added:
        return base
    head = base if not base or base.endswith(b"\n") else base + b"\n"
    return head + b"\n# Authorities trusted in QGIS (Settings > Options > Authentication)\n" + b"".join(added)


def bundle_folder() -> Path:
    """``<profile>/scene_finder``, else a private temporary folder of this process."""
    global _private_temp
    try:
        folder = Path(QgsApplication.qgisSettingsDirPath()) / "scene_finder"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except (OSError, RuntimeError):
        pass
    if _private_temp is None or not _private_temp.is_dir():
        _private_temp = Path(tempfile.mkdtemp(prefix="scene_finder_ca_"))  # mode 0700
    return _private_temp


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".ca-bundle-", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def ca_bundle_path(folder: Path | None = None) -> str | None:
    """The path of the PEM bundle (certifi + QGIS's trusted authorities), written when it changed.

    None when it cannot be made: requests then uses certifi alone (and says so in the log).
    """
    global _last
    try:
        key = (_sources_key(), str(folder))
        if _last is not None and _last[0] == key and os.path.isfile(_last[1]):
            return _last[1]
        data = build_bundle(certifi_pem(), environment_pem() + qgis_trusted_pem())
        if not data:
            return None
        path = (folder or bundle_folder()) / FILE_NAME
        digest = hashlib.sha256(data).hexdigest()
        with _lock:
            if _written.get(str(path)) == digest and path.is_file():
                return str(path)
            try:
                current = path.read_bytes() if path.is_file() else None
            except OSError:
                current = None
            if current != data:
                _write_atomically(path, data)
                LOG.debug("CA bundle written to %s", path)
            _written[str(path)] = digest
            _last = (key, str(path))
        return str(path)
    except Exception:  # noqa: BLE001 - never block a request for this: certifi alone still works
        LOG.warning("The CA bundle with QGIS's certificate authorities could not be written; "
                    "using certifi's alone", exc_info=True)
        return None
