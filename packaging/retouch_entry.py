"""PyInstaller entry point: the frozen ``retouch`` executable runs the package's ``main()``."""

from retouch.__main__ import main

raise SystemExit(main())
