"""An OAuth 2.1 authorization server on Authlib (Flask): the real peer for mcpload's OAuth tests.

Client credentials (client_secret_basic and client_secret_post) for clients client-1 ... client-N
with secrets <base>-1 ... <base>-N, RFC 8414 metadata, RFC 7662 introspection for the resource
server (client "resource-server"), and what it issued at /stats. Only this file's glue is ours:
grants, client authentication, token generation and introspection are Authlib's.

    authlib_server.py --port PORT --clients N --secret-base BASE --ttl SECONDS
"""
import argparse
import threading
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask, jsonify

SCOPES = ["mcp:tools"]
CLIENTS = {}
TOKENS = {}
STATS = {"issued": 0, "introspected": 0}
LOCK = threading.Lock()


class Client(ClientMixin):
    def __init__(self, client_id, secret):
        self.client_id = client_id
        self.secret = secret

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        return client_secret == self.secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type == "client_credentials"


class Token(TokenMixin):
    def __init__(self, data, client_id):
        self.data = data
        self.client_id = client_id
        self.issued_at = time.time()

    def check_client(self, client):
        return client.client_id == self.client_id

    def get_scope(self):
        return self.data.get("scope", "")

    def get_expires_in(self):
        return self.data["expires_in"]

    def is_expired(self):
        return time.time() >= self.issued_at + self.data["expires_in"]

    def is_revoked(self):
        return False

    def get_user(self):
        return None

    def get_client(self):
        return CLIENTS[self.client_id]


class Introspection(IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def query_token(self, token_string, token_type_hint):
        with LOCK:
            STATS["introspected"] += 1
            return TOKENS.get(token_string)

    def introspect_token(self, token):
        return {
            "active": not token.is_expired(),
            "client_id": token.client_id,
            "scope": token.get_scope(),
            "token_type": "Bearer",
            "iat": int(token.issued_at),
            "exp": int(token.issued_at + token.get_expires_in()),
        }

    def check_permission(self, token, client, request):
        return client.client_id == "resource-server"


def save_token(token, request):
    with LOCK:
        TOKENS[token["access_token"]] = Token(token, request.client.client_id)
        STATS["issued"] += 1


def main():
    options = argparse.ArgumentParser()
    options.add_argument("--port", type=int, required=True)
    options.add_argument("--clients", type=int, default=10)
    options.add_argument("--secret-base", default="interop-secret")
    options.add_argument("--ttl", type=int, default=60)
    arguments = options.parse_args()
    for index in range(1, arguments.clients + 1):
        CLIENTS[f"client-{index}"] = Client(f"client-{index}", f"{arguments.secret_base}-{index}")
    CLIENTS["resource-server"] = Client("resource-server", f"{arguments.secret_base}-rs")

    app = Flask(__name__)
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"client_credentials": arguments.ttl}
    server = AuthorizationServer(app, query_client=CLIENTS.get, save_token=save_token)
    grants.ClientCredentialsGrant.TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    server.register_grant(grants.ClientCredentialsGrant)
    server.register_endpoint(Introspection)
    issuer = f"http://127.0.0.1:{arguments.port}"

    @app.post("/token")
    def token():
        return server.create_token_response()

    @app.post("/introspect")
    def introspect():
        return server.create_endpoint_response("introspection")

    @app.get("/.well-known/oauth-authorization-server")
    def metadata():
        return jsonify(
            issuer=issuer, token_endpoint=f"{issuer}/token", introspection_endpoint=f"{issuer}/introspect",
            grant_types_supported=["client_credentials"], scopes_supported=SCOPES, response_types_supported=[],
            token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"])

    @app.get("/stats")
    def stats():
        with LOCK:
            return jsonify(STATS)

    app.run(host="127.0.0.1", port=arguments.port, threaded=True)


if __name__ == "__main__":
    main()
