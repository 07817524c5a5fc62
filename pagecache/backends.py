"""The cache of one machine: diskcache's Django backend (SQLite files shared by every worker)."""

from diskcache import DjangoCache


class DiskCache(DjangoCache):
    """Django closes every cache when a request ends; for diskcache that means opening its
    SQLite files again on the next one, which cost a millisecond a request. Like a persistent
    database connection, they stay open for the life of the worker (opened after the fork)."""

    def close(self, **kwargs) -> None:
        pass
