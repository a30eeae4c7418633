"""Time a whole OAI-PMH harvest with a real client: ``python -m bench.harvest``.

Starts gunicorn (1 sync worker, DEBUG off, page cache off) on a free loopback port against
``--database-url`` (an archive made with ``manage.py generate_sample_data``), harvests every
record through resumption tokens with Sickle, and prints the count and the time per format.
"""

import argparse
import os
import time

from sickle import Sickle

from bench.database import check_loopback
from bench.server import GunicornServer


def harvest(base_url, prefix):
    started = time.monotonic()
    identifiers = [
        record.header.identifier
        for record in Sickle(base_url, max_retries=0, timeout=120).ListRecords(
            metadataPrefix=prefix, ignore_deleted=False
        )
    ]
    return identifiers, time.monotonic() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/conf_harvest_bench"
    )
    parser.add_argument("--prefix", action="append", help="oai_dc, oai_datacite (both)")
    options = parser.parse_args(argv)
    check_loopback(options.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "PAGE_CACHE": "false",
    }
    with GunicornServer(env, workers=1) as server:
        for prefix in options.prefix or ["oai_dc", "oai_datacite"]:
            identifiers, seconds = harvest(server.url("/oai/"), prefix)
            pages = -(-len(identifiers) // 100)
            print(
                f"{prefix}: {len(identifiers)} records ({len(set(identifiers))} distinct) "
                f"in {pages} pages, {seconds:.1f} s ({1000 * seconds / pages:.0f} ms per page)"
            )


if __name__ == "__main__":
    main()
