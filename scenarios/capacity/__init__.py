"""The ``capacity:`` section on the file side: its schema and cross-checks, the weekly
requirement derived from the scenario's demand, its text (en/zh; the messages live with
the other shared words in :mod:`scenarios.words.messages_capacity`) and the output files.
The model itself is :mod:`planning.capacity`; the adapter :mod:`scenarios.adapters.to_capacity`;
the command :mod:`scenarios.commands.capacity`.
"""
