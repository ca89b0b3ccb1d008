"""The same graph under the LangGraph server: a thread driven through the SDK, interview interrupts included.

Skipped when the server packages (langgraph-cli[inmem]) are not installed; marked `slow` (`make test-fast` skips it).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from agent.model.settings import PROJECT_ROOT
from tests.test_interview import ANSWERS

pytest.importorskip("langgraph_api")
langgraph_sdk = pytest.importorskip("langgraph_sdk")
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> object:
    port = free_port()
    binary = Path(os.sys.executable).parent / "langgraph"
    env = {**os.environ, "LANGGRAPH_CLI_NO_ANALYTICS": "1", "SOCIALPLAN_OUTPUT_DIR": str(tmp_path / "out")}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [str(binary), "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/ok", timeout=2)
            break
        except OSError:
            pass
        try:  # wait for the server to exit, at most 0.2 s: an early exit fails at once, else probe again
            process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError((tmp_path / "server.log").read_text()[-2000:])
    else:
        process.kill()
        raise AssertionError("server did not start")
    yield url
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


async def _drive(url: str) -> dict:
    client = langgraph_sdk.get_client(url=url)
    thread = await client.threads.create()
    result = await client.runs.wait(thread["thread_id"], "socialplan", input={"brief_draft": {}, "asked": []})
    questions = []
    for answer in ANSWERS:
        interrupts = result.get("__interrupt__") or []
        assert interrupts, result
        questions.append(interrupts[0]["value"]["text"])
        result = await client.runs.wait(thread["thread_id"], "socialplan", command={"resume": answer})
    return {"questions": questions, "state": result}


def test_interview_thread_through_the_sdk(server: str, tmp_path: Path) -> None:
    outcome = asyncio.run(_drive(server))
    assert outcome["questions"][0] == "What is the business called?"
    assert outcome["questions"][-1].startswith("Approve this brief?")
    folder = Path(outcome["state"]["output_path"])
    assert (folder / "plan.json").is_file() and folder.parent == tmp_path / "out" / "loop-coffee"
