"""Scenario files: typed models, YAML loading with located errors, demand building.

The only package that reads files; it turns them into the cores' typed inputs.
"""

from scenarios.errors import InputError, Problem
from scenarios.load import load_scenario
from scenarios.schema import Scenario

__all__ = ["InputError", "Problem", "Scenario", "load_scenario"]
