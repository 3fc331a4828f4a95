"""TLS inspection: a root certificate the user added to QGIS's authorities is trusted by every
session make_qgis_session makes; without it the failure says where to add it."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtNetwork import QSsl, QSslCertificate

from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.connection_errors import CertificateError
from scene_finder.core.errors import SceneFinderError
from scene_finder.core.m2m.client import M2MClient
from scene_finder.emulator import Emulator
from scene_finder.emulator.tls import ThrowawayAuthority
from scene_finder.gis import ca_bundle
from scene_finder.gis.network import make_qgis_session


@pytest.fixture()
def authority(tmp_path):
    return ThrowawayAuthority.create(tmp_path / "pki")


@pytest.fixture()
def tls_emulator(authority, tmp_path, qgis_app):
    """The emulator behind https://127.0.0.1 with a certificate of a CA that no public bundle holds."""
    with Emulator(tls=authority.server_context(), landsat_scenes=200, carbonmapper_scenes=100,
                  carbonmapper_plumes=100, cache_dir=tmp_path / "cache") as running:
        yield running


@pytest.fixture()
def qgis_authority(auth_db, authority):
    """Adds the throwaway root to QGIS's certificate authorities (as the Certificate Manager does); removes it after."""
    manager = QgsApplication.authManager()
    certificate = QSslCertificate.fromData(authority.ca_pem.read_bytes(), QSsl.EncodingFormat.Pem)[0]

    def refresh():
        manager.rebuildCaCertsCache()
        manager.rebuildTrustedCaCertsCache()

    def add():
        assert manager.storeCertAuthority(certificate)
        refresh()

    def remove():
        manager.removeCertAuthority(certificate)  # (existsCertAuthority's query fails on QGIS 3.22)
        refresh()
        assert not any(known == certificate for known in manager.trustedCaCertsCache())

    yield add, remove
    remove()


def _m2m(emulator) -> M2MClient:
    return M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url, session=make_qgis_session(retries=0))


def test_a_root_certificate_added_to_qgis_is_trusted_and_its_absence_is_explained(tls_emulator, qgis_authority,
                                                                                  authority):
    add, remove = qgis_authority
    assert tls_emulator.m2m_url.startswith("https://127.0.0.1:")
    certifi = ca_bundle.certifi_pem()
    assert certifi and authority.ca_pem.read_bytes().strip() not in certifi

    with pytest.raises(SceneFinderError) as raised:
        _m2m(tls_emulator).login()
    assert isinstance(raised.value, CertificateError)
    assert "Certificate Manager ▸ Authorities" in str(raised.value)
    assert "could not be verified" in str(raised.value)

    add()
    session = make_qgis_session(retries=0)
    bundle = session.verify
    assert isinstance(bundle, str) and bundle.startswith(QgsApplication.qgisSettingsDirPath())
    with M2MClient("demo", "demo-application-token", base_url=tls_emulator.m2m_url, session=session) as client:
        assert client.logged_in
    cm = CarbonMapperClient("demo-carbonmapper-token", base_url=tls_emulator.carbonmapper_url,
                            session=make_qgis_session(retries=0))
    assert cm.get_json("catalog/plumes/annotated", {"limit": 1}) is not None

    # Removed from QGIS: the next session's bundle no longer trusts it.
    remove()
    with pytest.raises(CertificateError):
        _m2m(tls_emulator).login()


def test_bundle_is_certifi_plus_the_new_authorities_once_and_rewritten_only_on_change(tmp_path, authority):
    certifi = ca_bundle.certifi_pem()
    extra = ca_bundle._pem_blocks(authority.ca_pem.read_bytes())
    duplicate = ca_bundle._pem_blocks(certifi)[:3]
    built = ca_bundle.build_bundle(certifi, extra + duplicate + extra)
    assert built.startswith(certifi)
    assert built.count(b"BEGIN CERTIFICATE") == certifi.count(b"BEGIN CERTIFICATE") + 1
    assert ca_bundle.build_bundle(certifi, duplicate) == certifi
