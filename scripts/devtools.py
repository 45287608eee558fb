"""Development helpers used by scripts/setup.sh and the benchmarks (not part of the plugin).

python scripts/devtools.py ensure-database   # create DATABASE_URL's database if missing
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/saleor_amazon"


def ensure_database(url: str | None = None) -> bool:
    """Create the database named in ``url`` unless it exists; return True if created."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def clone_database(url: str, suffix: str) -> str:
    """Create a fresh copy of ``url``'s database (PostgreSQL template) and return its URL.

    The source must have no open connections (stop ``make run`` first)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    source = parts.path.lstrip("/")
    target = f"{source}_{suffix}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target), sql.Identifier(source)
            )
        )
    return urlunsplit(parts._replace(path=f"/{target}"))


def fresh_database(url: str, suffix: str) -> str:
    """A throwaway database with Saleor's and the plugin's migrations and no data, whatever
    state ``url``'s database is in; returns its URL (drop it with :func:`drop_database`).

    A migrated template (``<name>_template``) is kept between runs and brought up to date
    with ``migrate`` (seconds when nothing changed; the first time applies every
    migration), then copied."""
    import subprocess
    from pathlib import Path

    import saleor

    parts = urlsplit(url)
    template = urlunsplit(parts._replace(path=f"{parts.path}_template"))
    ensure_database(template)
    manage = Path(saleor.__file__).resolve().parent.parent / "manage.py"
    subprocess.run(  # noqa: S603 - our own interpreter and Saleor's manage.py
        [sys.executable, str(manage), "migrate", "--no-input", "-v", "0"],
        env={**os.environ, "DATABASE_URL": template},
        check=True,
    )
    return clone_database(template, suffix)


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(parts.path.lstrip("/"))
            )
        )


def main(argv: list[str]) -> int:
    if argv[:1] == ["ensure-database"]:
        try:
            created = ensure_database()
        except Exception as exc:
            print(f"Cannot reach PostgreSQL: {exc}", file=sys.stderr)
            return 1
        if created:
            print("Created the database.", file=sys.stderr)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
