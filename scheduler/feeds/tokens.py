"""Finding the row a secret URL token belongs to, without leaking anything through timing."""

from __future__ import annotations

import hmac

from sqlalchemy import Row, Select

from scheduler.extensions import db

# new_token() makes 43 characters; anything far longer is not a token and needs no query.
MAX_TOKEN_LENGTH = 64


def find_by_token(statement: Select, token: str | None) -> Row | None:
    """The row ``statement`` finds for ``:token``, checked again in constant time.

    ``statement`` selects a ``token`` column and filters on ``bindparam("token")``. The index
    lookup narrows to one candidate; ``hmac.compare_digest`` then confirms it, so the answer
    never depends on how many leading characters of a guess were right.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.execute(statement, {"token": token}).one_or_none()
    if row is None or not hmac.compare_digest(row.token.encode(), token.encode()):
        return None
    return row
