"""The pipeline's version: in catalogs' X-Generator, the MT client's app info and every fingerprint."""

__version__ = "0.1.0"
