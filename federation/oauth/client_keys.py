"""Reading the public keys an organisation uploads for a `private_key_jwt` client."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask_babel import lazy_gettext as _l
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey, import_key

#: the algorithms pinned for each kind of uploaded key
ALGORITHMS_FOR_KEY = {"RSA": ["RS256", "PS256"], "EC": ["ES256"]}
#: at most this many public keys per client (current and next, during a rotation)
MAX_KEYS = 5


class InvalidKeyError(ValueError):
    """The uploaded public key cannot be used; `reason` says why, the message says it in the
    visitor's language."""

    MESSAGES = {
        "missing": _l("Upload a public key: a JWK, a JWK Set or a PEM file."),
        "format": _l("This is not a public key in JWK, JWK Set or PEM format."),
        "private": _l("This is a private key. Upload only the public key."),
        "type": _l("Use an RSA key (2048 bits or more) or an EC key on P-256."),
        "size": _l("RSA keys must have at least 2048 bits."),
        "count": _l("Upload between 1 and %(n)s public keys.", n=MAX_KEYS),
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)

    def __str__(self) -> str:
        return str(self.MESSAGES[self.reason])


def _import_jwk(data: object) -> RSAKey | ECKey:
    if not isinstance(data, dict) or data.get("kty") not in ("RSA", "EC"):
        raise InvalidKeyError("type")
    return import_key(data, data["kty"])


def _import_pem(text: str) -> RSAKey | ECKey:
    public = serialization.load_pem_public_key(text.encode())
    if isinstance(public, rsa.RSAPublicKey):
        return RSAKey.import_key(text)
    if isinstance(public, ec.EllipticCurvePublicKey):
        return ECKey.import_key(text)
    raise InvalidKeyError("type")


def parse_public_keys(text: str) -> tuple[dict, list[str]]:
    """Read a public key given as a JWK, a JWK Set or a PEM; return the JWKS and its algorithms.

    :raise InvalidKeyError: not a key, a private key, an unsupported type or too weak.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidKeyError("missing")
    try:
        if text.startswith("{"):
            data = json.loads(text)
            raw_keys = data["keys"] if isinstance(data, dict) and "keys" in data else [data]
            if not isinstance(raw_keys, list):
                raise InvalidKeyError("format")
            if any(isinstance(k, dict) and "d" in k for k in raw_keys):
                raise InvalidKeyError("private")
            keys = [_import_jwk(k) for k in raw_keys]
        else:
            if "PRIVATE KEY" in text:
                raise InvalidKeyError("private")
            keys = [_import_pem(text)]
    except InvalidKeyError:
        raise
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise InvalidKeyError("format") from error
    if not keys or len(keys) > MAX_KEYS:
        raise InvalidKeyError("count")
    algorithms: list[str] = []
    public = []
    for key in keys:
        if isinstance(key, RSAKey):
            if key.raw_value.key_size < 2048:
                raise InvalidKeyError("size")
            kind = "RSA"
        elif isinstance(key, ECKey) and key.curve_name == "P-256":
            kind = "EC"
        else:
            raise InvalidKeyError("type")
        if key.is_private:
            raise InvalidKeyError("private")
        jwk = key.as_dict(private=False)
        jwk.setdefault("kid", key.thumbprint())
        public.append(jwk)
        algorithms += [a for a in ALGORITHMS_FOR_KEY[kind] if a not in algorithms]
    KeySet.import_key_set({"keys": public})  # the set as a whole must load
    return {"keys": public}, algorithms
