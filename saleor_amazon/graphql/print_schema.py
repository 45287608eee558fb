"""Print the Amazon GraphQL schema: ``python -m saleor_amazon.graphql.print_schema``.

Writes ``saleor_amazon/graphql/schema.graphql`` (or prints with ``--stdout``). Run it
with Django settings available (e.g. DJANGO_SETTINGS_MODULE=tests.settings).
"""

import os
import sys
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")


def printed_schema() -> str:
    from saleor.graphql.schema_printer import print_schema

    from .schema import schema

    return print_schema(schema).rstrip() + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    text = printed_schema()
    if "--stdout" in argv:
        sys.stdout.write(text)
    else:
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        print(f"Wrote {SCHEMA_FILE.name} ({len(text.splitlines())} lines).")


if __name__ == "__main__":
    main()
