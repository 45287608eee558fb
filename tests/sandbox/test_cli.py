"""``python -m saleor_amazon.sandbox`` serves a seed file on the given port."""

import json
import socket
import subprocess
import sys
import time

import requests

from saleor_amazon.sandbox.generate import generate_orders, seed_document


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
            "saleor_amazon.sandbox",
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
