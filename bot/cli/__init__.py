"""The `tierbot` command line: argparse in ``main``, one module per command."""
