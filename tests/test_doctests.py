"""The examples in the docstrings are run as tests (inside the isolated environment)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "geo",
    "geo.names",
    "geo.gazetteer",
    "geo.geocoders.base",
    "geo.geocoders.gazetteer",
    "geo.resolver",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
