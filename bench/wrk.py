"""wrk, the load generator: the Lua scripts it runs and the numbers read from its report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from typing import Any

#: appended to every wrk script: prints the numbers wrk's own output lacks (p95) as JSON
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
    .. '"p99_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def lua_string(text: str) -> str:
    """A Lua (5.1) string literal for `text`."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        if char in '"\\':
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def lua_table(mapping: dict[str, str]) -> str:
    """A Lua table constructor for string keys and values: `{["k"] = "v", …}`."""
    return "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in mapping.items()) + "}"


def request_lua(method: str, body: str | None, headers: dict[str, str]) -> str:
    """A wrk script that sends every request with this method, body and headers."""
    lines = [f"wrk.method = {lua_string(method)}"]
    if body is not None:
        lines.append(f"wrk.body = {lua_string(body)}")
    lines += [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()]
    return "\n".join(lines) + "\n"


def spliced_body_lua(
    method: str,
    headers: dict[str, str],
    head: str,
    tail: str,
    value: str,
    *,
    state: str = "",
    step: str = "",
    path: str = "nil",
) -> str:
    """A wrk script whose every request has the body `head`, then the Lua expression
    `value`, then `tail`: a body that changes each time. `state` is Lua run when a thread's
    script loads (the variables `value` needs), `step` runs before each request; `path` is
    a Lua expression (nil: the URL's path)."""
    return (
        f"local head = {lua_string(head)}\n"
        f"local tail = {lua_string(tail)}\n"
        f"local headers = {lua_table(headers)}\n"
        f"{state}"
        "request = function()\n"
        f"{step}"
        f"  return wrk.format({lua_string(method)}, {path}, headers, head .. {value} .. tail)\n"
        "end\n"
    )


def paths_lua(paths: list[str]) -> str:
    """A wrk script that GETs `paths` in turn, round and round."""
    items = ",".join(json.dumps(p) for p in paths)
    return (
        f"local paths = {{{items}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\n"
        "end\n"
    )


def load(url: str, lua: str, seconds: int, connections: int) -> dict[str, Any]:
    """Load `url` with wrk (-t2 -c<connections> --latency) for `seconds`, running the script
    `lua` (may be empty); rps, p50/p95/p99 in ms, requests and the errors that occurred."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + "\n" + REPORT_LUA)
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(script.name)
    match = re.search(r"^BENCH_RESULT (\{.*\})$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed on {url}:\n{result.stdout}{result.stderr}")
    data = json.loads(match.group(1))
    errors = {k: v for k, v in data["errors"].items() if v}
    return {
        "rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p95_ms": round(data["p95_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "requests": data["requests"],
        "errors": errors,
    }
