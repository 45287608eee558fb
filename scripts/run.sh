#!/usr/bin/env bash
# Start Saleor (API at http://localhost:8000/graphql/) with the Amazon plugin,
# a Celery worker and Celery beat. Ctrl-C stops them all.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${SALEOR_AMAZON_CACHE:-$HOME/.cache/saleor-amazon}
venv="$cache/venv-3.23.28"
src="$cache/saleor-3.23.28"
logs="$repo/.run"
mkdir -p "$logs"
export PATH="$venv/bin:$PATH"
# The sandbox and the demo shop are development packages of this repository, not part
# of the plugin's package: they are found on the path.
export PYTHONPATH="$src:$repo${PYTHONPATH:+:$PYTHONPATH}"
PORT=${PORT:-8000}

cd "$src"
"$venv/bin/python" manage.py shell -c "
from saleor.account.models import User
if not User.objects.filter(email='admin@example.com').exists():
    user = User(email='admin@example.com', is_staff=True, is_superuser=True, is_active=True)
    user.set_password('admin')
    user.save()
    print('Created staff user admin@example.com / admin (development only).')
" 2>&1 | grep -v WARNING | grep "Created" || true

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# The local Amazon sandbox with a demo seed: orders of the last two days.
SANDBOX_PORT=${SANDBOX_PORT:-8100}
"$venv/bin/python" - "$logs/demo-seed.json" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
from amazon_sandbox.generate import generate_orders, seed_document
start = datetime.now(timezone.utc) - timedelta(days=2)
orders = generate_orders(30, seed="demo", start=start)
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    json.dump(seed_document(orders, refresh_token="Atzr|sandbox-demo"), handle, ensure_ascii=False)
PY
"$venv/bin/python" -m amazon_sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" \
    --seed "$logs/demo-seed.json" >"$logs/sandbox.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$SANDBOX_PORT/_sandbox/clock" >/dev/null 2>&1 && break
    sleep 0.2
done
echo "Amazon sandbox: http://127.0.0.1:$SANDBOX_PORT (log in .run/sandbox.log)"
"$venv/bin/python" -m amazon_demo --sandbox-url "http://127.0.0.1:$SANDBOX_PORT" 2>&1 \
    | grep -v -e WARNING -e authlib -e "compatible before" -e "PID:" || true

celery --app saleor.celeryconf:app worker -E --loglevel=info >"$logs/worker.log" 2>&1 &
pids+=($!)
celery --app saleor.celeryconf:app beat --scheduler saleor.schedulers.schedulers.DatabaseScheduler \
    --loglevel=info >"$logs/beat.log" 2>&1 &
pids+=($!)
echo "Celery worker and beat: logs in .run/"
echo "Saleor GraphQL API: http://localhost:$PORT/graphql/   (Amazon plugin: /plugins/saleor_amazon/)"
uvicorn saleor.asgi:application --host 127.0.0.1 --port "$PORT" &
pids+=($!)
wait -n "${pids[@]}"
