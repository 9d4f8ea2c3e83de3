"""What the account services raise when a request cannot be honoured."""

from __future__ import annotations


class AccountError(ValueError):
    """A request about an account that cannot be honoured; `str()` is shown to the user."""


class TokenInvalid(AccountError):
    """The invitation or reset link is unknown, used, revoked or expired."""


class PasswordRejected(AccountError):
    """The new password breaks the password rules; `problems` lists why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems
