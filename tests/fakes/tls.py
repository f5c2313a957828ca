"""A self-signed certificate made at test time, so fakes can serve TLS (the Gemini SDK only dials wss://)."""

import datetime as dt
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class TestCertificate:
    """A certificate for 127.0.0.1 and localhost that is its own CA."""

    __test__ = False  # not a pytest test class, despite the name

    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        """Verifies the fake's certificate exactly as a real client verifies Google's."""
        return ssl.create_default_context(cafile=str(self.cert_file))


def make_certificate(directory: Path) -> TestCertificate:
    """An EC P-256 key (milliseconds to make, unlike RSA) and a one-day certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "fake-cert.pem", directory / "fake-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return TestCertificate(cert_file=cert_file, key_file=key_file)


def self_signed_contexts() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context and a client context that trusts it and nothing else (the files can go: both
    contexts have loaded them)."""
    with tempfile.TemporaryDirectory() as folder:
        certificate = make_certificate(Path(folder))
        return certificate.server_context(), certificate.client_context()
