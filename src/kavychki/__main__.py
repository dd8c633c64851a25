"""``python -m kavychki``: the same as the ``kavychki`` command."""

from .cli import main

raise SystemExit(main())
