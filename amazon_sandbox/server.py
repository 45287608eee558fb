"""Run the sandbox: ``SandboxServer`` serves it from a background thread (for tests) or in
the foreground (``python -m amazon_sandbox``)."""

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import SandboxApp


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class SandboxServer:
    """A threaded werkzeug server around a SandboxApp. ``port=0`` picks a free port."""

    def __init__(self, host="127.0.0.1", port=0, seed=None, speed=1.0, faults=None, quiet=True):
        self.app = SandboxApp(seed=seed, speed=speed, faults=faults)
        self._server = make_server(
            host,
            port,
            self.app,
            threaded=True,
            request_handler=_QuietHandler if quiet else WSGIRequestHandler,
        )
        self._server.daemon_threads = True
        self.host = host
        self.port = self._server.server_port
        self.app.base_url = self.url
        self._thread = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def lwa_url(self):
        return f"{self.url}/auth/o2/token"

    def start(self):
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="amazon-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self):
        self._server.serve_forever()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
