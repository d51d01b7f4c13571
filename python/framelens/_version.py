"""The framelens version (pipeline.Version), written by setup.py."""

__version__ = "0.1.0"
