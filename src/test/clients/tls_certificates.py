"""Certificates for the TLS pass of clients-check.sh, made at run time (never checked in): a CA, a server
certificate naming 127.0.0.1, localhost and a Service's name, and a client certificate, as PEM files as a
Kubernetes TLS secret holds them (EC P-256 keys in PKCS#8).

    tls_certificates.py DIR SERVICE_NAME CLIENT_NAME
writes DIR/ca.crt, DIR/server.crt, DIR/server.key, DIR/client.crt and DIR/client.key. Run with the kserve
venv's Python, which has the cryptography package.
"""
import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificate(subject, key, issuer, issuer_key, extensions):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1)))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def write(path, certificate_or_key):
    if isinstance(certificate_or_key, x509.Certificate):
        data = certificate_or_key.public_bytes(serialization.Encoding.PEM)
    else:
        data = certificate_or_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption())
    with open(path, "wb") as f:
        f.write(data)


def issue(directory, file, common_name, ca, ca_key, alternative_names, usage):
    key = ec.generate_private_key(ec.SECP256R1())
    extensions = [(x509.BasicConstraints(ca=False, path_length=None), True),
                  (x509.ExtendedKeyUsage([usage]), False)]
    if alternative_names:
        extensions.append((x509.SubjectAlternativeName(alternative_names), False))
    write(os.path.join(directory, file + ".crt"),
          certificate(name(common_name), key, ca.subject, ca_key, extensions))
    write(os.path.join(directory, file + ".key"), key)


def main(directory, service, client):
    os.makedirs(directory, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate(name("clients-check-ca"), ca_key, name("clients-check-ca"), ca_key,
                     [(x509.BasicConstraints(ca=True, path_length=None), True),
                      (x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), True)])
    write(os.path.join(directory, "ca.crt"), ca)
    issue(directory, "server", service, ca, ca_key,
          [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost"), x509.DNSName(service)],
          ExtendedKeyUsageOID.SERVER_AUTH)
    issue(directory, "client", client, ca, ca_key, [], ExtendedKeyUsageOID.CLIENT_AUTH)


main(*sys.argv[1:4])
