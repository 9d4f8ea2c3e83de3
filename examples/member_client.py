"""A member organisation's system talking to the platform: fetch a token, upsert a programme.

It authenticates with `private_key_jwt` (RFC 7523): the member keeps its private key and the
platform knows only the public half, uploaded once by the organisation's admin.

    # 1. make a key pair; upload the printed public JWK in "API clients" (or with the CLI)
    python examples/member_client.py generate-key member-key.pem > member-key.pub.jwk
    # 2. fetch a token and upsert a programme by the member's own id
    python examples/member_client.py --base-url http://127.0.0.1:5000 \\
        --client-id=<client id> --key member-key.pem upsert demo-duo-1

(`--client-id=…` with "=": a client id may start with "-", which argparse would take for
an option.)

Only Authlib and requests are needed. Nothing here is specific to this repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7523.assertion import private_key_jwt_sign
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

#: a programme as the member's CRM would describe it (the platform's field names)
EXAMPLE_PROGRAMME = json.loads(
    Path(__file__).with_name("programme.json").read_text(encoding="utf-8")
)


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """Authlib's `private_key_jwt`, with assertions valid 60 s (the platform refuses any
    valid more than 5 minutes; Authlib's default is an hour) and the key's own algorithm."""

    def sign(self, auth, token_endpoint):
        key = auth.client_secret
        alg = "ES256" if isinstance(key, ECKey) else "RS256"
        header = {"kid": key.kid} if key.kid else None
        return private_key_jwt_sign(
            key,
            client_id=auth.client_id,
            token_endpoint=token_endpoint,
            alg=alg,
            header=header,
            expires_in=60,
        )


def load_private_key(path: str | Path) -> RSAKey | ECKey:
    """Read a PEM private key (RSA or EC P-256)."""
    pem = Path(path).read_bytes()
    try:
        return RSAKey.import_key(pem)
    except JoseError:
        return ECKey.import_key(pem)


def open_session(
    base_url: str, client_id: str, private_key: RSAKey | ECKey, scope: str = "programmes:write"
) -> OAuth2Session:
    """An HTTP session that fetches its access token with the client-credentials grant."""
    token_endpoint = base_url.rstrip("/") + "/oauth/token"
    session = OAuth2Session(
        client_id, private_key, scope=scope, token_endpoint_auth_method=ShortLivedPrivateKeyJWT.name
    )
    session.register_client_auth_method(ShortLivedPrivateKeyJWT(token_endpoint))
    session.fetch_token(token_endpoint, grant_type="client_credentials", timeout=30)
    return session


def upsert_programme(
    session: OAuth2Session, base_url: str, external_id: str, programme: dict
) -> tuple[int, dict]:
    """PUT the programme under the member's own id; 201 when created, 200 when updated."""
    response = session.put(
        f"{base_url.rstrip('/')}/federation/v1/programmes/{external_id}", json=programme, timeout=30
    )
    return response.status_code, response.json()


def generate_key(path: str) -> dict:
    """Write a new EC P-256 private key to `path` and return the public JWK to upload."""
    key = ECKey.generate_key("P-256", private=True)
    key.ensure_kid()
    target = Path(path)
    target.write_bytes(key.as_pem(private=True))
    target.chmod(0o600)
    return key.as_dict(private=False)


def one_line(error: Exception) -> str:
    """What went wrong, in one line: the OAuth error and its description as the platform
    wrote them, or why the platform could not be reached."""
    if isinstance(error, OAuthError):
        return f"{error.error}: {error.description}" if error.description else error.error
    if isinstance(error, requests.ConnectionError | requests.Timeout):
        cause: BaseException = error
        while cause.__cause__ or cause.__context__:
            cause = cause.__cause__ or cause.__context__
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else cause
        return f"cannot reach {error.request.url if error.request else 'the platform'}: {reason}"
    if isinstance(error, requests.HTTPError) and error.response is not None:
        answer = error.response
        return f"{answer.url} answered {answer.status_code}: is --base-url the platform's address?"
    if isinstance(error, requests.JSONDecodeError):
        return "the platform's answer is not JSON: is --base-url the platform's address?"
    return f"{type(error).__name__}: {error}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--client-id")
    parser.add_argument("--key", help="PEM file of the client's private key")
    commands = parser.add_subparsers(dest="command", required=True)
    keygen = commands.add_parser("generate-key", help="create a key pair; print the public JWK")
    keygen.add_argument("path")
    commands.add_parser("token", help="fetch an access token and print its scope and lifetime")
    upsert = commands.add_parser("upsert", help="create or update a programme")
    upsert.add_argument("external_id")
    upsert.add_argument("--body", help="JSON file with the programme (default: an example)")
    args = parser.parse_args(argv)

    if args.command == "generate-key":
        print(json.dumps(generate_key(args.path), indent=2))
        return 0
    if not args.client_id or not args.key:
        parser.error("--client-id and --key are required")
    try:
        key = load_private_key(args.key)
    except (OSError, ValueError) as error:
        print(f"error: cannot read the private key {args.key}: {error}", file=sys.stderr)
        return 1
    try:
        return call_platform(args, key)
    except (OAuthError, requests.RequestException) as error:
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 1


def call_platform(args: argparse.Namespace, key: RSAKey | ECKey) -> int:
    """Fetch a token, then print it or upsert the programme; the exit status."""
    session = open_session(args.base_url, args.client_id, key)
    if args.command == "token":
        token = session.token
        print(
            json.dumps(
                {
                    "token_type": token["token_type"],
                    "scope": token.get("scope"),
                    "expires_in": token["expires_in"],
                }
            )
        )
        return 0
    body = json.loads(Path(args.body).read_text()) if args.body else EXAMPLE_PROGRAMME
    status, answer = upsert_programme(session, args.base_url, args.external_id, body)
    print(json.dumps({"status": status, "response": answer}, ensure_ascii=False, indent=2))
    return 0 if status in (200, 201) else 1


if __name__ == "__main__":
    sys.exit(main())
