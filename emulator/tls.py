"""TLS for the emulator: a throwaway certificate authority, a server certificate it signs, and a
server class that speaks https with it.

Used to show what an organisation that inspects TLS does to Scene Finder: its root is in no public
bundle (certifi), only in QGIS's certificate authorities once the user adds it there::

    authority = ThrowawayAuthority.create(tmp_path)            # CA + server cert for 127.0.0.1/localhost
    with Emulator(tls=authority.server_context()) as emulator:  # https://127.0.0.1:<port>/...
        ...

Needs the ``cryptography`` package (Debian: python3-cryptography), which is only imported here.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ThrowawayAuthority:
    """PEM files of a new CA (``ca_pem``) and of a server certificate and key it signed."""

    ca_pem: Path
    cert_pem: Path
    key_pem: Path

    @classmethod
    def create(cls, folder: Path, hosts: tuple[str, ...] = ("127.0.0.1", "localhost"),
               name: str = "Scene Finder Test Inspection Root") -> ThrowawayAuthority:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.timezone.utc)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        ca = (
            x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
            .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        names = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        paths = cls(folder / "test-root-ca.pem", folder / "server-cert.pem", folder / "server-key.pem")
        paths.ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        paths.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        paths.key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
        return paths

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.cert_pem), str(self.key_pem))
        return context


_QUIET_ERRORS = (ssl.SSLError, ConnectionResetError, BrokenPipeError)


def tls_server_class(base: type, context: ssl.SSLContext) -> type:
    """A subclass of the server class ``base`` whose connections are wrapped in TLS with ``context``.

    The handshake happens in the connection's own thread (on its first read), so a client that
    refuses the certificate disturbs nobody; its failure is not reported as a server error.
    """

    class TlsServer(base):
        def get_request(self):
            connection, address = super().get_request()
            return context.wrap_socket(connection, server_side=True, do_handshake_on_connect=False), address

        def handle_error(self, request, client_address) -> None:
            if isinstance(sys.exc_info()[1], _QUIET_ERRORS):
                return  # a client that does not trust us, or that went away
            super().handle_error(request, client_address)

    return TlsServer
