"""Loopback HTTP load for the api_load section: a free port, waiting for the server to answer, and the clients —
wrk (with its Lua script) when installed, else Python threads — each returning requests/s, latency percentiles
and errors."""

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

# wrk calls request() for every request of a thread's connections; done() runs once, in the main
# thread, and reads every thread's status counts. Latencies are in microseconds.
WRK_SCRIPT = """
local tokens = {%(tokens)s}
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 17)
  table.insert(threads, thread)
end

function init(args)
  counter = offset
  statuses = {}
end

function request()
  counter = counter + 1
  local headers = {Authorization = "Token " .. tokens[(counter %% #tokens) + 1]}
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local errors = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      if status ~= 200 then
        errors[tostring(status)] = (errors[tostring(status)] or 0) + count
      end
    end
  end
  for kind, count in pairs(summary.errors) do
    if kind ~= "status" and count > 0 then errors[kind] = count end
  end
  local parts = {}
  for key, count in pairs(errors) do table.insert(parts, string.format('"%%s": %%d', key, count)) end
  io.write(string.format(
    'WRK-RESULT {"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, "mean": %%f, "errors": {%%s}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000, table.concat(parts, ", ")))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def load_with_wrk(port: int, tokens: list[str], paths: list[str], seconds: int, workdir: Path) -> dict:
    """The load from wrk: two C threads holding the clients' connections."""
    script = workdir / "api_load.lua"
    script.write_text(
        WRK_SCRIPT % {"tokens": ", ".join(json.dumps(t) for t in tokens), "paths": ", ".join(map(json.dumps, paths))},
        encoding="utf-8",
    )
    completed = subprocess.run(
        ["wrk", "-t", "2", "-c", str(len(tokens)), "-d", f"{seconds}s", "--timeout", "30s", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True, timeout=seconds + 120,
    )  # fmt: skip
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRK-RESULT "))
    result = json.loads(line.removeprefix("WRK-RESULT "))
    ok = result["requests"] - sum(count for key, count in result["errors"].items() if key.isdigit())
    return {**result, "requests": ok, "rps": ok / result.pop("seconds")}


def load_with_threads(port: int, tokens: list[str], paths: list[str], seconds: int) -> dict:
    """The load from Python threads in this process, when wrk is not installed."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Token {tokens[index]}"}
        n = index
        while time.monotonic() < stop:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(index,)) for index in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] if latencies else float("nan")

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / seconds,
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
    }


def load_generator() -> str:
    """The clients: wrk when installed, else Python threads; BENCH_API_CLIENT ("wrk" or "python") forces one."""
    chosen = os.environ.get("BENCH_API_CLIENT", "")
    if chosen:
        return chosen
    return "wrk" if shutil.which("wrk") else "python"
