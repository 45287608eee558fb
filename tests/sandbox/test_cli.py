"""``python -m amazon_sandbox`` serves a seed file on the given port."""

import json
import os
import socket
import subprocess
import sys
import time

import requests

from amazon_sandbox.generate import generate_orders, seed_document


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serves_the_seed_file(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            seed_document(generate_orders(3, seed=2), seller_id="A1CLI", refresh_token="Atzr|cli")
        ),
        encoding="utf-8",
    )
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own module
        [
            sys.executable,
            "-m",
            "amazon_sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--seed",
            str(seed),
            "--speed",
            "10",
            "--faults",
            "500=0",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                health = requests.get(f"{base}/_sandbox/health", timeout=1).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        token = requests.post(
            f"{base}/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": "Atzr|cli",
                "client_id": "c",
                "client_secret": "s",
            },
            timeout=5,
        ).json()["access_token"]
        order_id = generate_orders(3, seed=2)[1]["orderId"]
        order = requests.get(
            f"{base}/orders/2026-01-01/orders/{order_id}",
            headers={"x-amz-access-token": token},
            timeout=5,
        )
        speed = requests.get(f"{base}/_sandbox/speed", timeout=5).json()
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert health["sellers"] == ["A1CLI"]
    assert order.status_code == 200
    assert speed["factor"] == 10
    assert f"127.0.0.1:{port}" in err


def test_without_models_it_runs_unvalidated_and_says_so(tmp_path):
    port = _free_port()
    env = {**os.environ, "SALEOR_AMAZON_MODELS_DIR": str(tmp_path / "missing")}
    process = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "amazon_sandbox", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "UNVALIDATED" in err
    assert "amzn/selling-partner-api-models" in err
    assert "34dc93fe45f37c9a0b2e56823c808f68b4f81754" in err
