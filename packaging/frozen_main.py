"""Entry point of the frozen build (packaging/dispatch-desktop.spec): the ``dispatch-desktop``
command, plus the probe ``--diagnose`` starts in a child process (a frozen program has no
``python -c``)."""

import sys

# The literal of dispatch_desktop.diagnose.FROZEN_START_FLAG, compared before anything is
# imported so that an ordinary start pays nothing for it (tests/packaging check they agree).
START_PROBE_FLAG = "--diagnose-start-probe"

if __name__ == "__main__":
    if sys.argv[1:] == [START_PROBE_FLAG]:
        from dispatch_desktop.ui.start_probe import start_probe

        start_probe()
        sys.exit(0)
    from dispatch_desktop.cli import main

    sys.exit(main())
