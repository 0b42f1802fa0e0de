import sys

from policykit.cli import main

sys.exit(main())
