"""`python -m valuechain.event ...`: see valuechain/event/cli.py."""

import sys

from valuechain.event.cli import main

sys.exit(main())
