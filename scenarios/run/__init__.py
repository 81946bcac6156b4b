"""``peakdesk run``: the stage pipeline, the results folder, the report and the history.

See docs/report.md. Entry point: :func:`scenarios.run.runner.run_scenario`.
"""
