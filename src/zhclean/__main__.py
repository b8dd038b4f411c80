"""`python -m zhclean` is the same as the `zhclean` command."""

from zhclean.cli.main import main

raise SystemExit(main())
