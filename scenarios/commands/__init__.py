"""What each ``peakdesk`` command does, as library functions the CLI calls (and tests reach).

One module per group of commands: load the input files, call the cores, write the outputs
atomically, and render the terminal view. ``cli.py`` only parses options and calls one
function here; loops, tolerances and defaults live in these modules and in the cores.

- :mod:`~scenarios.commands.demand` — ``demand``, ``forecast``;
- :mod:`~scenarios.commands.staffing` — ``erlang`` (single and batch), ``requirements``;
- :mod:`~scenarios.commands.simulate` — ``simulate``;
- :mod:`~scenarios.commands.plan` — ``plan`` (the mix and its check by simulation);
- :mod:`~scenarios.commands.capacity` — ``capacity`` (the weekly hiring plan);
- :mod:`~scenarios.commands.pay` — ``pay``, ``rules lint``, ``rules calibrate``;
- :mod:`~scenarios.commands.compare` — the ``compare`` table;
- :mod:`~scenarios.commands.intraday` — ``intraday`` (on the day: posterior, orders, replay).
``run``, ``rerun``, ``runs`` and ``diff`` live in :mod:`scenarios.run`.
"""

from __future__ import annotations

from collections.abc import Callable

#: how a command writes a line for people (``click.echo`` from the CLI; a list in tests)
Echo = Callable[..., None]
