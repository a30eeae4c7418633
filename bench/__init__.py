"""Load benchmark: ``python -m bench`` (or ``python -m bench --smoke`` for a quick check).

Creates its own PostgreSQL database on 127.0.0.1, fills it with ``generate_sample_data``,
runs the app under gunicorn in production mode on a free loopback port, loads each endpoint
with wrk and prints requests/second, latency and queries per request, with throughput as a
ratio to ``/healthz`` measured in the same run (absolute numbers vary by machine and by run).
"""
