"""``python -m amazon_sandbox``: serve the sandbox in the foreground."""

import argparse
import json
import sys

from . import demo, validation
from .faults import parse as parse_faults
from .server import SandboxServer


def main(argv=None):
    parser = argparse.ArgumentParser(description="Local Amazon SP-API + LWA sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--seed", help="seed JSON file (default: the demo seller)")
    parser.add_argument("--speed", type=float, default=1.0, help="sandbox clock speed factor")
    parser.add_argument("--faults", default="", help='e.g. "429=0.2,500=0.05,slow=0.01"')
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    try:
        parse_faults(args.faults)
    except ValueError as exc:
        parser.error(str(exc))
    seed = None
    if args.seed:
        with open(args.seed, encoding="utf-8") as handle:
            seed = json.load(handle)
    server = SandboxServer(
        args.host,
        args.port,
        seed=seed,
        speed=args.speed,
        faults=args.faults,
        quiet=not args.verbose,
    )
    out = sys.stderr
    if not validation.models_available():
        print(f"WARNING: running UNVALIDATED. {validation.MISSING_MESSAGE}", file=out)
    print(f"Amazon sandbox on {server.url}  (LWA: {server.lwa_url})", file=out)
    for seller_id in server.app.state.sellers:
        token = server.app.state.refresh_token_of(seller_id)
        print(f"  seller {seller_id}  refresh token {token}", file=out)
    if seed is None:
        print(
            f"  demo seller: any client id/secret, refresh token {demo.DEMO_REFRESH_TOKEN}",
            file=out,
        )
    print(f"  speed x{args.speed:g}  faults: {args.faults or 'none'}", file=out, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
