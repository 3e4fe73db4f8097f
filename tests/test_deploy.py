"""Deployment without a Docker engine: lint the Dockerfile, check the compose file and the
README's commands, and do what the image does in a fresh venv from requirements.txt alone."""

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

from tests.serve import CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy, wait_idle

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_hadolint_reports_no_problem():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run([hadolint, "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
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
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("app", "app-replica"):
        service = compose["services"][name]
        assert service["restart"] == "unless-stopped"
        assert "/_stcore/health" in " ".join(service["healthcheck"]["test"])
    assert compose["services"]["app"]["ports"] == ["8501:8501"]
    labels = compose["services"]["app-replica"]["labels"]
    assert "traefik.http.services.rnnviz.loadbalancer.sticky.cookie=true" in labels
    assert compose["services"]["proxy"]["profiles"] == ["scale"]


def test_readme_docker_commands_match_the_files():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
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
