"""cooplab: the platform for industrial localization and cooperation."""

__version__ = "0.1.0"
