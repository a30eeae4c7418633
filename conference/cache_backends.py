"""Django's Redis cache, keeping one Redis client per connection pool.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` object for every
cache operation, and redis-py fills each new client's table of response callbacks: about
0.3 ms, as much as a whole ``/healthz`` request, twice per cached page (data version, page).
A client is safe to share between threads (connections come from its pool), so this backend
builds it once. Everything else is Django's.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
