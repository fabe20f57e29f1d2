"""Build of the compiled token scanner; everything else about the package is in pyproject.toml.

The scanner is optional: where it cannot be compiled (no C compiler), setuptools says so and
installs the package without it, and ``analysis.text.segment`` finds the same tokens in pure
Python, more slowly (it warns once per process).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("analysis._scan", ["analysis/_scan.c"], optional=True,
                             extra_compile_args=["-O2", "-Wall", "-Wextra"])])
