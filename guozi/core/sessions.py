"""Django's database session store, its row read by one compiled query (``SESSION_ENGINE``).

Every signed-in request loads its session; the ORM compiled the same SELECT afresh each time
(``core.precompiled``). Writing, expiry and clean-up are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db

from guozi.core import precompiled


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        """The session's data, or an empty session (and no key) when its row is gone or expired:
        what ``db.SessionStore.load`` answers."""
        data = precompiled.session_data(self.session_key)
        if data is None:
            self._session_key = None
            return {}
        decoded: dict[str, Any] = self.decode(data)
        return decoded
