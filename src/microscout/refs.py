"""Account references: `platform:account_id`, `platform:@handle` or a bare `@handle`."""

from __future__ import annotations

from dataclasses import dataclass

from microscout.exceptions import AccountNotFoundError
from microscout.schema import PLATFORMS


@dataclass(frozen=True)
class AccountRef:
    platform: str | None
    account_id: str | None = None
    handle: str | None = None

    def __str__(self) -> str:
        who = self.account_id if self.account_id is not None else f"@{self.handle}"
        return f"{self.platform}:{who}" if self.platform else who


def parse_account_ref(text: str) -> AccountRef:
    """Split at the first colon only, so `bluesky:did:plc:abc` names a DID."""
    text = text.strip()
    if text.startswith("@") and len(text) > 1:
        return AccountRef(None, handle=text[1:])
    platform, sep, rest = text.partition(":")
    if not sep or not rest:
        raise AccountNotFoundError(
            f"'{text}' is not an account reference: expected platform:account_id, "
            "platform:@handle or @handle")
    platform = platform.lower()
    if platform not in PLATFORMS:
        raise AccountNotFoundError(f"'{platform}' in '{text}' is not a platform: expected one of "
                                   + ", ".join(PLATFORMS))
    if rest.startswith("@") and len(rest) > 1:
        return AccountRef(platform, handle=rest[1:])
    return AccountRef(platform, account_id=rest)
