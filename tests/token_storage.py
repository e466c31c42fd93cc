"""``TokenStorage`` for the mcp client's OAuth support, kept in memory (as a desktop client's keychain would keep it).

Importable as ``token_storage`` from every test folder (tests/conftest.py puts tests/ on sys.path).
"""

from __future__ import annotations

from mcp.shared.auth import OAuthClientInformationFull, OAuthToken


class MemoryTokenStorage:
    """Tokens and client registration of one OAuth client."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info
