"""Command line: a thin layer over the Python API (``livecommerce audit``)."""

import argparse
import sys

from . import audit
from .errors import LivecommerceError
from .io import write_csv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="livecommerce", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_audit = commands.add_parser("audit", help="check what the report's numbers say about each other")
    run_audit.add_argument("--data", default=None, help="folder of published tables (default: the bundled report)")
    run_audit.add_argument("--output", default=None, help="write every check to this CSV file")
    args = parser.parse_args(argv)
    try:
        checks = audit.run(args.data)
        if args.output:
            write_csv(checks, args.output)
    except LivecommerceError as exc:
        print(f"livecommerce: error: {exc}", file=sys.stderr)
        return 2
    print(audit.summary(checks))
    if args.output:
        print(f"\nall {len(checks)} checks written to {args.output}")
    return 0
