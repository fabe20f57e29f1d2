"""Build of the compiled token scanner; everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("analysis._scan", ["analysis/_scan.c"],
                             extra_compile_args=["-O2", "-Wall", "-Wextra"])])
