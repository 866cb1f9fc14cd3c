"""Key and trust stores in the shapes cert-manager and trust-manager write them, for the emulation
of cert-manager (emulate.py). Written from tests/reference/cert-manager/FACTS.md (sections 2, 3
and 9) and the store formats themselves (PKCS#12, JKS); only DER and the primitives of the Python
`cryptography` module are used, so that each byte the consumers read is decided here.

  pkcs12_keystore(key, chain, cas, password, profile)  FACTS 2: the key and the first certificate
      of tls.crt carry only a LocalKeyId (SHA-1 of the leaf); further chain certificates come first
      in the CA list, ca.crt's after them; no friendlyName.
  pkcs12_truststore(cas, password, profile, names)      FACTS 2: one certificate bag per CA, the
      friendlyName and the Java trusted-certificate attribute (with anyExtendedKeyUsage).
  jks_keystore(alias, key, chain, cas, password)        FACTS 2: one PrivateKeyEntry (PKCS#8,
      key password = store password), TrustedCertificateEntry ca, ca-1, ... for ca.crt.
  jks_truststore(entries, password)                     trusted entries (alias, certificate).
Profiles (FACTS 3): Modern2023 (PBES2, PBKDF2-HMAC-SHA-256, AES-256-CBC, 2048 iterations, salt 16,
HMAC-SHA-256 MAC with 2048 iterations), LegacyDES (PBE-SHA1-3DES for bags, HMAC-SHA-1 MAC with 1
iteration, 2048 iterations, salt 8), None (trust-manager's passwordless PKCS#12, FACTS 9: no
encryption and no MAC). LegacyRC2 and Modern2026 are refused (emulate.py reports them)."""
import hashlib
import hmac
import os
import struct
import time

from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

try:  # TripleDES moved in newer versions of cryptography
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # pragma: no cover
    TripleDES = algorithms.TripleDES


# ---- DER ------------------------------------------------------------------------------------
def _len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + _len(len(content)) + content


def seq(*items):
    return tlv(0x30, b"".join(items))


def set_of(*items):
    return tlv(0x31, b"".join(sorted(items)))


def octets(b):
    return tlv(0x04, b)


def integer(n):
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)
    return tlv(0x02, b)


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    out = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, out)


NULL = b"\x05\x00"


def explicit(n, content):
    return tlv(0xA0 + n, content)


def bmp(s):
    return tlv(0x1E, s.encode("utf-16-be"))


OID_DATA = "1.2.840.113549.1.7.1"
OID_ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
OID_CERT_BAG = "1.2.840.113549.1.12.10.1.3"
OID_SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
OID_X509_CERT = "1.2.840.113549.1.9.22.1"
OID_LOCAL_KEY_ID = "1.2.840.113549.1.9.21"
OID_FRIENDLY_NAME = "1.2.840.113549.1.9.20"
OID_JAVA_TRUST = "2.16.840.1.113894.746875.1.1"  # FACTS 2: Java's trusted-certificate attribute
OID_ANY_EKU = "2.5.29.37.0"
OID_PBES2 = "1.2.840.113549.1.5.13"
OID_PBKDF2 = "1.2.840.113549.1.5.12"
OID_HMAC_SHA256 = "1.2.840.113549.2.9"
OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"
OID_PBE_SHA1_3DES = "1.2.840.113549.1.12.1.3"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_SHA1 = "1.3.14.3.2.26"


# ---- PKCS#12 key derivation (the PKCS#12 standard's appendix B) ------------------------------
def p12_kdf(hash_name, password, salt, ident, iterations, n):
    h = getattr(hashlib, hash_name)
    u, v = h().digest_size, h().block_size
    pw = (password.encode("utf-16-be") + b"\x00\x00") if password is not None else b""
    D = bytes([ident]) * v

    def fill(b):
        if not b:
            return b""
        k = v * ((len(b) + v - 1) // v)
        return (b * (k // len(b) + 1))[:k]

    I = bytearray(fill(salt) + fill(pw))
    out = b""
    while len(out) < n:
        A = D + bytes(I)
        for _ in range(iterations):
            A = h(A).digest()
        out += A
        B = (A * (v // u + 1))[:v]
        bi = int.from_bytes(B, "big") + 1
        for j in range(0, len(I), v):
            x = (int.from_bytes(I[j:j + v], "big") + bi) % (1 << (v * 8))
            I[j:j + v] = x.to_bytes(v, "big")
    return out[:n]


class Profile:
    def __init__(self, name):
        if name not in ("Modern2023", "LegacyDES", None):
            raise ValueError("PKCS#12 profile %s is not emulated" % name)
        self.name = name

    def encrypt(self, password, plain):
        """(AlgorithmIdentifier DER, ciphertext)"""
        if self.name == "Modern2023":
            salt, iv = os.urandom(16), os.urandom(16)
            key = PBKDF2HMAC(hashes.SHA256(), 32, salt, 2048).derive(password.encode("utf-8"))
            alg = seq(oid(OID_PBES2), seq(
                seq(oid(OID_PBKDF2), seq(octets(salt), integer(2048), seq(oid(OID_HMAC_SHA256), NULL))),
                seq(oid(OID_AES256_CBC), octets(iv))))
            pad = padding.PKCS7(128).padder()
            data = pad.update(plain) + pad.finalize()
            enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
            return alg, enc.update(data) + enc.finalize()
        salt = os.urandom(8)  # LegacyDES
        key = p12_kdf("sha1", password, salt, 1, 2048, 24)
        iv = p12_kdf("sha1", password, salt, 2, 2048, 8)
        alg = seq(oid(OID_PBE_SHA1_3DES), seq(octets(salt), integer(2048)))
        pad = padding.PKCS7(64).padder()
        data = pad.update(plain) + pad.finalize()
        enc = Cipher(TripleDES(key), modes.CBC(iv)).encryptor()
        return alg, enc.update(data) + enc.finalize()

    def mac(self, password, auth_safe):
        if self.name is None:
            return b""
        if self.name == "Modern2023":
            salt, it, hn, o = os.urandom(16), 2048, "sha256", OID_SHA256
        else:
            salt, it, hn, o = os.urandom(8), 1, "sha1", OID_SHA1
        key = p12_kdf(hn, password, salt, 3, it, getattr(hashlib, hn)().digest_size)
        d = hmac.new(key, auth_safe, hn).digest()
        return seq(seq(seq(oid(o), NULL), octets(d)), octets(salt), integer(it))


def _content_data(b):
    return seq(oid(OID_DATA), explicit(0, octets(b)))


def _attr(o, *values):
    return seq(oid(o), set_of(*values))


def _cert_bag(der, attrs):
    body = seq(oid(OID_X509_CERT), explicit(0, octets(der)))
    return seq(oid(OID_CERT_BAG), explicit(0, body), *( [set_of(*attrs)] if attrs else []))


def _der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def _pfx(profile, password, cert_bags, key_bags):
    safe_certs = seq(*cert_bags)
    if profile.name is None:
        contents = [_content_data(safe_certs)]
    else:
        alg, ct = profile.encrypt(password, safe_certs)
        enc = seq(integer(0), seq(oid(OID_DATA), alg, tlv(0x80, ct)))
        contents = [seq(oid(OID_ENCRYPTED_DATA), explicit(0, enc))]
    if key_bags:
        contents.append(_content_data(seq(*key_bags)))
    auth_safe = seq(*contents)
    return seq(integer(3), _content_data(auth_safe), profile.mac(password, auth_safe))


def pkcs12_keystore(key, chain, cas, password, profile):
    """FACTS 2: key + first certificate of tls.crt with LocalKeyId = SHA-1 of the leaf; the rest
    of the chain, then ca.crt's certificates, as CA bags without attributes."""
    p = Profile(profile)
    leaf = _der(chain[0])
    kid = _attr(OID_LOCAL_KEY_ID, octets(hashlib.sha1(leaf).digest()))
    pk8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    alg, ct = p.encrypt(password, pk8)
    key_bag = seq(oid(OID_SHROUDED_KEY_BAG), explicit(0, seq(alg, octets(ct))), set_of(kid))
    bags = [_cert_bag(leaf, [kid])] + [_cert_bag(_der(c), []) for c in list(chain[1:]) + list(cas)]
    return _pfx(p, password, bags, [key_bag])


def pkcs12_truststore(cas, password, profile, names):
    """FACTS 2 and 9: each CA a certificate bag with a friendlyName and the Java trust attribute."""
    p = Profile(profile)
    trust = _attr(OID_JAVA_TRUST, oid(OID_ANY_EKU))
    bags = [_cert_bag(_der(c), [_attr(OID_FRIENDLY_NAME, bmp(n)), trust]) for c, n in zip(cas, names)]
    return _pfx(p, password, bags, [])


# ---- JKS ------------------------------------------------------------------------------------
def _utf(s):
    b = s.encode("utf-8")
    return struct.pack(">H", len(b)) + b


def _jks_cert(cert):
    d = _der(cert)
    return _utf("X.509") + struct.pack(">I", len(d)) + d


def _jks_protect(password, pk8):
    pw = password.encode("utf-16-be")
    salt = os.urandom(20)
    stream, digest = b"", salt
    while len(stream) < len(pk8):
        digest = hashlib.sha1(pw + digest).digest()
        stream += digest
    enc = bytes(a ^ b for a, b in zip(pk8, stream))
    check = hashlib.sha1(pw + pk8).digest()
    return seq(seq(oid("1.3.6.1.4.1.42.2.17.1.1"), NULL), octets(salt + enc + check))


def _jks(entries, password):
    now = int(time.time() * 1000)
    out = struct.pack(">III", 0xFEEDFEED, 2, len(entries))
    for e in entries:
        if e[0] == "key":
            _, alias, key, chain = e
            pk8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            prot = _jks_protect(password, pk8)
            out += struct.pack(">I", 1) + _utf(alias) + struct.pack(">Q", now)
            out += struct.pack(">I", len(prot)) + prot + struct.pack(">I", len(chain))
            out += b"".join(_jks_cert(c) for c in chain)
        else:
            _, alias, cert = e
            out += struct.pack(">I", 2) + _utf(alias) + struct.pack(">Q", now) + _jks_cert(cert)
    return out + hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + out).digest()


def ca_aliases(n):
    """FACTS 2: ca, ca-1, ca-2, ..."""
    return ["ca" if i == 0 else "ca-%d" % i for i in range(n)]


def jks_keystore(alias, key, chain, cas, password):
    entries = [("key", alias, key, list(chain))]
    entries += [("cert", a, c) for a, c in zip(ca_aliases(len(cas)), cas)]
    return _jks(entries, password)


def jks_truststore(entries, password):
    return _jks([("cert", a, c) for a, c in entries], password)
