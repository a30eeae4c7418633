"""The one table-like thing the shared code reads: PostgreSQL's write-ahead-log position.

Every other model lives in an app; the abstract bases every app builds on are in ``base.py``.
"""

from django.db import models


class WalPosition(models.Model):
    """How far a PostgreSQL server's write-ahead log reaches: on the primary, the position
    of its latest write; on a streaming replica, how far it has replayed the primary's.

    A one-row view that migration ``core/0001`` creates on PostgreSQL only, so that the
    read-replica router (``db_routers.py``) reads it through the ORM like any other row.
    """

    # NULL on a replica that has not replayed anything yet.
    lsn = models.CharField(max_length=32, null=True)  # noqa: DJ001

    class Meta:
        managed = False
        db_table = "core_wal_position"

    def __str__(self):
        return self.lsn or "no position"

    @property
    def number(self):
        """The position as a number ("16/B374D848" is 0x16_B374D848), or None."""
        if not self.lsn:
            return None
        high, low = self.lsn.split("/")
        return (int(high, 16) << 32) + int(low, 16)
