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
export PYTHONPATH="$src${PYTHONPATH:+:$PYTHONPATH}"
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
