"""Running wrk and reading its report."""

import re
import shutil
import subprocess
from dataclasses import dataclass

_UNITS_IN_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = re.compile(r"^([\d.]+)(us|ms|s|m|h)$")


class LoadError(RuntimeError):
    pass


@dataclass
class Endpoint:
    """A page or API path the benchmark loads, by the name its report gives it."""

    name: str
    path: str


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_success: int = 0
    socket_errors: int = 0

    @property
    def errors(self):
        return self.non_success + self.socket_errors


def duration_in_ms(text):
    """wrk's "812.00us", "7.12ms", "1.20s" -> milliseconds."""
    match = _DURATION.match(text.strip())
    if not match:
        raise LoadError(f"wrk printed a latency this parser does not know: {text!r}")
    number, unit = match.groups()
    return float(number) * _UNITS_IN_MS[unit]


def parse_wrk_output(output):
    """Requests/second, median and 99th-percentile latency and error counts from
    ``wrk --latency`` output."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    if not (rate and total and "50" in percentiles and "99" in percentiles):
        raise LoadError(f"Could not read the wrk report (was --latency given?):\n{output}")
    non_success = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return LoadResult(
        requests_per_second=float(rate.group(1)),
        p50_ms=duration_in_ms(percentiles["50"]),
        p99_ms=duration_in_ms(percentiles["99"]),
        requests=int(total.group(1)),
        non_success=int(non_success.group(1)) if non_success else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
    )


def wrk_command(url, *, threads, connections, seconds, timeout_seconds=30):
    return [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        f"{timeout_seconds}s",
        url,
    ]


def require_wrk():
    path = shutil.which("wrk")
    if not path:
        raise LoadError(
            "wrk is not installed. Install it with `sudo apt-get install -y wrk` "
            "(or `make bench`, which does so), then run the benchmark again."
        )
    return path


def run_wrk(url, *, threads, connections, seconds):
    if not url.startswith("http://127.0.0.1:"):
        raise LoadError(f"The benchmark only loads the loopback interface, not {url}.")
    command = wrk_command(url, threads=threads, connections=connections, seconds=seconds)
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if finished.returncode != 0:
        raise LoadError(f"wrk failed ({finished.returncode}): {finished.stderr.strip()}")
    return parse_wrk_output(finished.stdout)
