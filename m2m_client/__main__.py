"""Allows ``python -m m2m_client call ...``; see :mod:`m2m_client.cli`."""

import sys

from m2m_client.cli import main

if __name__ == "__main__":
    sys.exit(main())
